from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("ke-hoach/", views.AnnualPlanListView.as_view(), name="plan_list"),
    path("ke-hoach/<int:pk>/", views.AnnualPlanDetailView.as_view(), name="plan_detail"),
]
