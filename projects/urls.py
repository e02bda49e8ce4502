from django.urls import path

from . import bulk_views, document_views, entry_views, national_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("moi/", entry_views.ProjectCreateView.as_view(), name="create"),
    path("ke-hoach-con-lai/", entry_views.PlanRemainingView.as_view(), name="plan_remaining"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", entry_views.ProjectUpdateView.as_view(), name="edit"),
    path("<int:pk>/buoc/<slug:action>/", views.ProjectStepView.as_view(), name="step"),
    path("tai-lieu/<int:pk>/", document_views.document_download, name="document"),
    path("hang-loat/", bulk_views.ProjectBulkStepView.as_view(), name="bulk_step"),
    path("tam-ung/", bulk_views.AdvanceListView.as_view(), name="advances"),
    path("<int:pk>/ghi-chu/", bulk_views.ProjectNoteCreateView.as_view(), name="note"),
    # The national programme through the Ministry.
    path("quoc-gia/", national_views.NationalDeskView.as_view(), name="national_desk"),
    path(
        "quoc-gia/ke-hoach/moi/", national_views.NationalPlanCreateView.as_view(), name="national_plan_create"
    ),
    path(
        "quoc-gia/ke-hoach/<int:pk>/", national_views.NationalPlanDetailView.as_view(), name="national_plan"
    ),
    path(
        "quoc-gia/ke-hoach/<int:pk>/dong/",
        national_views.NationalPlanLineView.as_view(),
        name="national_plan_line",
    ),
    path(
        "quoc-gia/ke-hoach/<int:pk>/phe-duyet/",
        national_views.NationalPlanApproveView.as_view(),
        name="national_plan_approve",
    ),
]
