"""The appraisal council's scoring sheets (phiếu thẩm định): one per appraiser and đề án."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels

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


class Appraisal(ChoiceLabels):
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


class AppraisalRuleQuerySet(models.QuerySet):
    def for_province(self, province) -> "AppraisalRule | None":
        """The rule of the province (as recorded, or the province of today's map it rolls up into), else the
        national default; None when neither exists."""
        ids = [
            i for i in (getattr(province, "pk", None), getattr(province, "current_province_id", None)) if i
        ]
        rules = {r.province_id: r for r in self.filter(Q(province__isnull=True) | Q(province__in=ids))}
        return next((rules[i] for i in ids if i in rules), rules.get(None))

    def for_project(self, project) -> "AppraisalRule | None":
        """The rule of whoever approves the đề án: the Ministry's (the national default) for a national đề
        án, which the Minister approves in the national plan; the province's for a local one."""
        if project.is_national:
            return self.filter(province__isnull=True).first()
        return self.for_province(project.province)


class AppraisalRule(models.Model):
    """What appraisal a đề án needs before it can be approved: a minimum number of scoring sheets and,
    where the procedure sets one, a minimum average score (out of 100). A row without a province is the
    national default; a province's row replaces it for that province's đề án (its own quy chế)."""

    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appraisal_rules",
        help_text=_("Để trống: quy trình chung toàn quốc (mặc định)."),
    )
    min_sheets = models.PositiveSmallIntegerField(
        _("số phiếu thẩm định tối thiểu"), validators=[MaxValueValidator(50)]
    )
    min_average = models.PositiveSmallIntegerField(
        _("điểm bình quân tối thiểu"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(CRITERION_MAX * len(CRITERIA))],
        help_text=_("Trên thang 100 điểm. Để trống khi quy trình không quy định."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    objects = AppraisalRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều kiện thẩm định để phê duyệt")
        verbose_name_plural = _("điều kiện thẩm định để phê duyệt")
        ordering = ["province"]
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(province__isnull=False), name="appraisalrule_unique_province"
            ),
            models.CheckConstraint(condition=Q(min_average__lte=100), name="appraisalrule_average_max"),
        ]

    def __str__(self) -> str:
        where = self.province or _("toàn quốc")
        return f"{where}: {self.describe()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.province_id is None
            and AppraisalRule.objects.filter(province__isnull=True).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(_("Đã có điều kiện chung toàn quốc; hãy sửa dòng đó."))

    def describe(self) -> str:
        text = _("ít nhất %(n)s phiếu thẩm định") % {"n": self.min_sheets}
        if self.min_average is not None:
            text += _(", điểm bình quân từ %(score)s/100") % {"score": self.min_average}
        return text
