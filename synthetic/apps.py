from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """The synthetic dataset generator (no models): installed for its management command."""

    name = "synthetic"
    verbose_name = "Dữ liệu tổng hợp"
