from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    """Holds what every app shares: template filters for money and Vietnamese formatting and the audit
    registrations."""

    name = "khuyencong"
    verbose_name = "Khuyến công"

    def ready(self) -> None:
        from . import audit  # noqa: F401 - registers the audited models
