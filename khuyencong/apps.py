from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    """Holds what every app shares: template filters for money and Vietnamese formatting, the audit
    registrations and the optional second factor."""

    name = "khuyencong"
    verbose_name = "Khuyến công"

    def ready(self) -> None:
        from . import audit, two_factor  # noqa: F401 - registers the audited models and the login hook
