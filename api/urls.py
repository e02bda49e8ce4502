from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import problems, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("places", views.PlaceViewSet, basename="place")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("beneficiaries", views.BeneficiaryViewSet, basename="beneficiary")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("reports/annual/", views.AnnualFiguresView.as_view(), name="annual_figures"),
    *router.urls,
    re_path(r"^.*$", problems.not_found),
]
