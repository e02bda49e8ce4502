"""A merge of two records of the same establishment, kept so that an administrator can undo it."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class BeneficiaryMerge(models.Model):
    """The record `removed_id` was merged into `kept`: its fields as they were and every link moved."""

    kept = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("cơ sở giữ lại"),
        on_delete=models.PROTECT,
        related_name="merges",
    )
    removed_id = models.BigIntegerField(_("mã cơ sở đã gộp"))
    removed_name = models.CharField(_("tên cơ sở đã gộp"), max_length=300)
    removed_data = models.JSONField(_("thông tin cơ sở đã gộp"), encoder=DjangoJSONEncoder)
    moved = models.JSONField(_("các liên kết đã chuyển"))
    tax_code_moved = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hợp nhất cơ sở")
        verbose_name_plural = _("hợp nhất cơ sở")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept}"
