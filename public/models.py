from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: a number raised after every committed change to what the public pages show. The cached
    public pages are keyed by it, so a page computed before an approval is never served after it, whichever
    worker or cache answers (see public.freshness)."""

    number = models.BigIntegerField(_("số phiên bản"), default=0)
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu công khai")
        verbose_name_plural = _("phiên bản dữ liệu công khai")

    def __str__(self) -> str:
        return str(self.number)
