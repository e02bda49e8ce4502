"""The national khuyến công plan of a year: the Minister's decision with money per đề án (and so per
province, implementing unit and content), within a total. Approved through projects.services.national."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _


class NationalPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NationalPlanQuerySet":
        """The Ministry and administrators see every national plan; a province sees the plans that hold one
        of its đề án (its share of the national plan)."""
        from accounts.scoping import province_filter

        scope = province_filter(user, "lines__project__province")
        return self.all() if not scope else self.filter(scope).distinct()


class NationalPlan(models.Model):
    """Kế hoạch khuyến công quốc gia năm: drafted by the Cục, approved by the Minister's decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt")

    year = models.PositiveSmallIntegerField(_("năm kế hoạch"), unique=True)
    name = models.CharField(_("tên kế hoạch"), max_length=300)
    programme = models.ForeignKey(
        "programs.Programme",
        verbose_name=_("chương trình khuyến công quốc gia"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="national_plans",
    )
    total = models.BigIntegerField(_("tổng kinh phí khuyến công quốc gia (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField(_("số quyết định của Bộ trưởng"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm ghi nhận"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)

    objects = NationalPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch khuyến công quốc gia")
        verbose_name_plural = _("kế hoạch khuyến công quốc gia")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="nationalplan_total_nonneg"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="nationalplan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allocated(self) -> int:
        return self.lines.aggregate(total=Sum("amount"))["total"] or 0


class NationalPlanLine(models.Model):
    """The money of the national plan for one đề án (its province and implementing unit) and content."""

    plan = models.ForeignKey(
        NationalPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="lines"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("đề án"),
        on_delete=models.PROTECT,
        related_name="national_plan_lines",
    )
    content = models.ForeignKey(
        "programs.ActivityContent", verbose_name=_("nội dung"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("kinh phí khuyến công quốc gia (đồng)"))

    class Meta:
        verbose_name = _("dòng kế hoạch khuyến công quốc gia")
        verbose_name_plural = _("kinh phí theo đề án, tỉnh, đơn vị thực hiện và nội dung")
        ordering = ["plan", "project__province__name", "project__code", "content__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "project", "content"], name="nationalplanline_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="nationalplanline_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} — {self.project.code}: {self.amount}"
