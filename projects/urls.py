from django.urls import path

from . import document_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("moi/", views.ProjectCreateView.as_view(), name="create"),
    path("ke-hoach-con-lai/", views.PlanRemainingView.as_view(), name="plan_remaining"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.ProjectUpdateView.as_view(), name="edit"),
    path("<int:pk>/buoc/<slug:action>/", views.ProjectStepView.as_view(), name="step"),
    path("tai-lieu/<int:pk>/", document_views.document_download, name="document"),
]
