from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Nhắc việc qua thư")
    default_auto_field = "django.db.models.BigAutoField"
