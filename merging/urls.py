from django.urls import path

from . import views

app_name = "merging"

urlpatterns = [
    path("", views.MergeListView.as_view(), name="list"),
    path("<int:pk>/", views.MergeView.as_view(), name="start"),
]
