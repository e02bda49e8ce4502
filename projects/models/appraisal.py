"""The appraisal council's scoring sheets (phiếu thẩm định): one per appraiser and đề án."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Each criterion is scored out of this many points; five criteria make a sheet out of 100.
CRITERION_MAX = 20


CRITERIA = ("score_fit", "score_necessity", "score_efficiency", "score_budget", "score_capacity")


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Đề nghị phê duyệt")
    REVISE = "revise", _("Đề nghị bổ sung, chỉnh sửa")
    REJECT = "reject", _("Không đề nghị phê duyệt")


def _score(label):
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(0), MaxValueValidator(CRITERION_MAX)],
        help_text=_("Từ 0 đến 20 điểm."),
    )


class Appraisal(models.Model):
    """One appraiser's scores on the five criteria and recommendation for one đề án."""

    CRITERIA = CRITERIA

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="appraisals"
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên thẩm định"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    score_fit = _score(_("phù hợp nội dung, ngành nghề theo Nghị định 45"))
    score_necessity = _score(_("sự cần thiết"))
    score_efficiency = _score(_("hiệu quả kinh tế - xã hội"))
    score_budget = _score(_("dự toán hợp lý"))
    score_capacity = _score(_("năng lực đơn vị thực hiện, thụ hưởng"))
    recommendation = models.CharField(_("kiến nghị"), max_length=10, choices=Recommendation.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"))

    class Meta:
        verbose_name = _("phiếu thẩm định")
        verbose_name_plural = _("phiếu thẩm định")
        ordering = ["project", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "appraiser"], name="appraisal_unique_appraiser"),
            *[
                models.CheckConstraint(condition=Q(**{f"{c}__lte": CRITERION_MAX}), name=f"appraisal_{c}_max")
                for c in CRITERIA
            ],
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.appraiser}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, c) or 0 for c in self.CRITERIA)
