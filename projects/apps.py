from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Đề án khuyến công")

    def ready(self) -> None:
        from programs.models import PlanAllocation

        from .services.checks import plan_committed_by_source

        # An allocation never falls below what the plan's đề án hold (PlanAllocation.clean); programs sits
        # below projects, so it is given the computation instead of importing it.
        PlanAllocation.committed_by_source = staticmethod(plan_committed_by_source)
