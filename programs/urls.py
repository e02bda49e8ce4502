from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("chi-tieu/<int:pk>/ket-qua/", views.TargetAchievedView.as_view(), name="target_achieved"),
    path("ke-hoach/", views.AnnualPlanListView.as_view(), name="plan_list"),
    path("ke-hoach/<int:pk>/", views.AnnualPlanDetailView.as_view(), name="plan_detail"),
]
