"""What happens after approval: progress reports, advances, disbursements, acceptance and settlement."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels
from khuyencong.indexes import PostgresIndex

PROGRESS_DUE_DAY = 25


class ProgressReport(models.Model):
    """The implementing unit's monthly report, due by the 25th of the month it covers."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    month = models.DateField(_("tháng báo cáo"), help_text=_("Ngày đầu tháng."))
    due_on = models.DateField(_("hạn nộp"), editable=False)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("khối lượng hoàn thành (%)"), validators=[MaxValueValidator(100)]
    )
    summary = models.TextField(_("tình hình thực hiện"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo tiến độ tháng")
        verbose_name_plural = _("báo cáo tiến độ tháng")
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progressreport_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="progressreport_month_first_day"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="progressreport_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.month:%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.due_on = due_date_for(self.month)
        super().save(*args, **kwargs)

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at.date() > self.due_on


def due_date_for(month: datetime.date) -> datetime.date:
    return month.replace(day=PROGRESS_DUE_DAY)


class AdvanceRule(models.Model):
    """A rule of how much may be advanced (tạm ứng): a share of the approved amount, for a content (or any),
    once progress reaches a level. Data with its legal basis, never a constant in code."""

    content = models.ForeignKey(
        "programs.ActivityContent",
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi nội dung."),
    )
    percentage = models.PositiveSmallIntegerField(
        _("tỷ lệ tạm ứng tối đa (% kinh phí được duyệt)"), validators=[MaxValueValidator(100)]
    )
    min_percent_complete = models.PositiveSmallIntegerField(
        _("khối lượng hoàn thành tối thiểu (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    condition = models.CharField(_("điều kiện"), max_length=400)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("quy định tạm ứng")
        verbose_name_plural = _("quy định tạm ứng")
        ordering = ["percentage", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100), name="advancerule_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percentage}% — {self.condition}"


class Advance(ChoiceLabels):
    """A tranche of advance requested by the implementing unit and decided by the Sở."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Đã đề nghị")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="advances"
    )
    source = models.ForeignKey(
        "programs.FundingSource", verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT
    )
    tranche = models.PositiveSmallIntegerField(_("lần tạm ứng"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    rule = models.ForeignKey(
        AdvanceRule, verbose_name=_("quy định áp dụng"), on_delete=models.PROTECT, null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    # The date of the decision itself, which reports count by: a decision taken on paper and entered later
    # keeps its own date (decided_at is when it was entered).
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("tạm ứng")
        verbose_name_plural = _("tạm ứng")
        ordering = ["project", "tranche"]
        constraints = [
            models.UniqueConstraint(fields=["project", "tranche"], name="advance_unique_tranche"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="advance_amount_positive"),
        ]
        indexes = [
            # Report sums (PostgreSQL only): index-only scans. Reports count an advance by its decision's date.
            PostgresIndex(
                fields=["project"],
                include=["source", "status", "amount", "decision_date"],
                name="advance_decision_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — tạm ứng lần {self.tranche}"


class Disbursement(models.Model):
    """Money actually paid out (giải ngân) from one source."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="disbursements"
    )
    source = models.ForeignKey(
        "programs.FundingSource", verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày chi"))
    reference = models.CharField(_("số chứng từ"), max_length=120, blank=True)
    advance = models.ForeignKey(
        Advance,
        verbose_name=_("theo tạm ứng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("giải ngân")
        verbose_name_plural = _("giải ngân")
        ordering = ["project", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # A voucher (chứng từ) pays once: its number is not recorded twice for one đề án.
            models.UniqueConstraint(
                models.F("project"),
                Lower("reference"),
                condition=~Q(reference=""),
                name="disbursement_unique_voucher",
                violation_error_message=_("Số chứng từ này đã được ghi cho một lần giải ngân của đề án."),
            ),
        ]
        indexes = [
            # Report sums (PostgreSQL only): index-only scans.
            PostgresIndex(
                fields=["project"], include=["source", "amount", "paid_on"], name="disbursement_project_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.paid_on:%d/%m/%Y}: {self.amount}"


class Acceptance(ChoiceLabels):
    """The acceptance minutes (biên bản nghiệm thu) of a đề án."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", _("Đạt")
        PASSED_WITH_NOTES = "notes", _("Đạt, có kiến nghị")

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="acceptance"
    )
    minutes_number = models.CharField(_("số biên bản nghiệm thu"), max_length=80)
    minutes_date = models.DateField(_("ngày nghiệm thu"))
    conclusion = models.CharField(
        _("kết luận"), max_length=10, choices=Conclusion.choices, default=Conclusion.PASSED
    )
    note = models.TextField(_("kiến nghị, ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("nghiệm thu")
        verbose_name_plural = _("nghiệm thu")

    def __str__(self) -> str:
        return f"{self.project.code} — {self.minutes_number}"


class SettlementLine(models.Model):
    """The settled amount (quyết toán) of a đề án from one source, counterpart funds included."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="settlement_lines"
    )
    source = models.ForeignKey(
        "programs.FundingSource", verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT
    )
    amount = models.BigIntegerField(_("số tiền quyết toán (đồng)"))

    class Meta:
        verbose_name = _("quyết toán theo nguồn")
        verbose_name_plural = _("quyết toán theo nguồn")
        ordering = ["project", "source__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="settlementline_unique_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="settlementline_amount_nonneg"),
        ]
        indexes = [
            # Report sums (PostgreSQL only): index-only scans.
            PostgresIndex(
                fields=["project"], include=["source", "amount"], name="settlementline_project_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.source}: {self.amount}"
