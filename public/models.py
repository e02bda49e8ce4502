from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A number raised after every committed change to what the public pages show, one row per scope: the
    empty scope for what every page shows (sources, programmes, places, beneficiaries), `p:<id>` for one
    province's đề án. Cached public pages are keyed by the numbers they depend on, so a page computed
    before an approval is never served after it, whichever worker or cache answers (see public.freshness)."""

    scope = models.CharField(_("phạm vi"), max_length=20, unique=True)
    number = models.BigIntegerField(_("số phiên bản"), default=0)
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu công khai")
        verbose_name_plural = _("phiên bản dữ liệu công khai")

    def __str__(self) -> str:
        return f"{self.scope or '*'}: {self.number}"
