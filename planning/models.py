"""The versions of an annual plan: the draft built from proposals, submitted to the UBND, approved with a
decision, and each adjustment during the year a new version with its reason, decision and money."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình UBND")
    APPROVED = "approved", _("Đã phê duyệt")


# The one table of moves of a version.
VERSION_MOVES: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.SUBMITTED}),
    VersionStatus.SUBMITTED: frozenset({VersionStatus.APPROVED, VersionStatus.DRAFT}),
    VersionStatus.APPROVED: frozenset(),
}


class InvalidVersionTransition(Exception):
    pass


class PlanVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanVersionQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "plan__province__current_province"))

    def approved(self) -> "PlanVersionQuerySet":
        return self.filter(status=VersionStatus.APPROVED)

    def in_force_on(self, day) -> "PlanVersionQuerySet":
        """Approved versions whose decision was dated on or before `day` (the latest of a plan is in force)."""
        return self.approved().filter(decision_date__lte=day)


class PlanVersion(models.Model):
    """One version of an annual plan: number 1 is the plan as first approved, later numbers adjust it."""

    plan = models.ForeignKey(
        "programs.AnnualPlan",
        verbose_name=_("kế hoạch năm"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("lần"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    expected_allocation = models.BigIntegerField(
        _("kinh phí dự kiến được giao (đồng)"),
        null=True,
        blank=True,
        help_text=_("Mức kinh phí dự kiến để so khi chọn đề xuất đưa vào kế hoạch."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_authority = models.CharField(_("cơ quan quyết định"), max_length=200, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("đề án đề xuất đưa vào"), blank=True, related_name="plan_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản kế hoạch năm")
        verbose_name_plural = _("phiên bản kế hoạch năm")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            # At most one version being prepared or awaiting its decision at a time.
            models.UniqueConstraint(
                fields=["plan"], condition=~Q(status="approved"), name="planversion_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="planversion_approved_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="planversion_adjustment_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(expected_allocation__isnull=True) | Q(expected_allocation__gte=0),
                name="planversion_expected_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.label}"

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        if self.number == 1:
            return gettext("Kế hoạch ban đầu")
        return gettext("Điều chỉnh lần %(n)s") % {"n": self.number - 1}

    @property
    def is_adjustment(self) -> bool:
        return self.number > 1

    def transition_to(self, status: str) -> None:
        if status not in VERSION_MOVES[self.status]:
            raise InvalidVersionTransition(f"{self.status} -> {status}")
        self.status = status


class PlanVersionLine(models.Model):
    """The money of a version for one source and one content."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="lines")
    source = models.ForeignKey(
        "programs.FundingSource", verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT
    )
    content = models.ForeignKey(
        "programs.ActivityContent",
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("kinh phí theo nguồn và nội dung")
        verbose_name_plural = _("kinh phí theo nguồn và nội dung")
        ordering = ["version", "source__order", "content__number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "source", "content"], name="planversionline_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="planversionline_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.source} / {self.content}: {self.amount}"


class PlanVersionTransition(models.Model):
    """Who moved a version, when, from which status to which, with what comment or decision."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, choices=VersionStatus.choices)
    to_status = models.CharField(max_length=10, choices=VersionStatus.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.version}: {self.from_status} → {self.to_status}"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo, chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Lãnh đạo đã duyệt")


class ProgrammeApproval(models.Model):
    """Whether leadership has approved a programme entered by staff (programmes recorded from published
    decisions before staff entry have no row and are taken as issued)."""

    programme = models.OneToOneField("programs.Programme", on_delete=models.CASCADE, related_name="approval")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duyệt chương trình")
        verbose_name_plural = _("duyệt chương trình")

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_status_display()}"


class ProgrammeYearBudget(models.Model):
    """A programme's budget from one source for one year of its period."""

    programme = models.ForeignKey("programs.Programme", on_delete=models.CASCADE, related_name="year_budgets")
    source = models.ForeignKey(
        "programs.FundingSource", verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("kinh phí chương trình theo nguồn và năm")
        verbose_name_plural = _("kinh phí chương trình theo nguồn và năm")
        ordering = ["programme", "year", "source__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source", "year"], name="programmeyearbudget_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programmeyearbudget_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} {self.source}: {self.amount}"
