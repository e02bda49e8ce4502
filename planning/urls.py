from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("moi/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanCycleView.as_view(), name="cycle"),
    path("<int:pk>/lap/", views.PlanBuildView.as_view(), name="build"),
    path("<int:pk>/dieu-chinh/", views.PlanAdjustView.as_view(), name="adjust"),
    path("<int:pk>/buoc/<slug:action>/", views.PlanStepView.as_view(), name="step"),
    path("chuong-trinh/moi/", views.ProgrammeEditView.as_view(), name="programme_create"),
    path("chuong-trinh/<int:pk>/sua/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("chuong-trinh/<int:pk>/duyet/", views.ProgrammeApproveView.as_view(), name="programme_approve"),
]
