from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Công khai thông tin")

    def ready(self) -> None:
        from . import freshness

        freshness.connect()
