from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("dang-ky-nhu-cau/", views.NeedRegisterView.as_view(), name="register"),
    path("dang-ky-nhu-cau/tra-cuu/", views.NeedLookupView.as_view(), name="lookup"),
    path("dang-ky-nhu-cau/bien-nhan/<str:code>/", views.NeedReceiptView.as_view(), name="receipt"),
    path("nhu-cau/", views.NeedListView.as_view(), name="list"),
    path("nhu-cau/<int:pk>/", views.NeedDetailView.as_view(), name="detail"),
    path("nhu-cau/<int:pk>/<slug:action>/", views.NeedActionView.as_view(), name="action"),
]
