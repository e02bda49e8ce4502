from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Excel in and out: import templates, previews, confirmed imports, and safe exports of lists."""

    name = "spreadsheets"
    verbose_name = _("Nhập, xuất Excel")
