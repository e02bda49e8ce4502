from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    """Holds what every app shares: template filters for money and Vietnamese formatting."""

    name = "khuyencong"
    verbose_name = "Khuyến công"
