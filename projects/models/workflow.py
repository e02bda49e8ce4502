"""The audit trail of a đề án's moves, and the province-configurable table of who takes which step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from khuyencong.choice_labels import ChoiceLabels
from projects.statuses import ProjectStatus, WorkflowAction


class ProjectTransitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectTransitionQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "project__province"))


class ProjectTransition(ChoiceLabels):
    """One move of a đề án: from, to, who, when, why and on which decision. Never edited, never deleted."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("đề án"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    action = models.CharField(_("thao tác"), max_length=24, choices=WorkflowAction.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=12, choices=ProjectStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=ProjectStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="project_transitions",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    decision_number = models.CharField(_("số quyết định/văn bản"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định/văn bản"), null=True, blank=True)
    acknowledged_warnings = models.TextField(
        _("cảnh báo đã xác nhận"),
        blank=True,
        help_text=_("Cảnh báo (ví dụ hỗ trợ trùng) mà người phê duyệt đã xem và xác nhận."),
    )
    # On a request to adjust: the approved estimate as it stood (source, content, item, amount, order of each
    # line), so that declining the adjustment puts it back and the trail shows what was changed.
    budget_before = models.JSONField(_("dự toán trước điều chỉnh"), null=True, blank=True, editable=False)
    # On a request to adjust a national đề án: the kind of change, which says who decides it.
    change_kind = models.CharField(_("loại điều chỉnh"), max_length=20, blank=True)

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử xử lý đề án")
        verbose_name_plural = _("lịch sử xử lý đề án")
        ordering = ["project", "created_at", "id"]
        indexes = [models.Index(fields=["project", "created_at"], name="transition_project_time")]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class WorkflowStepRole(models.Model):
    """Which role may take which step. Rows without a province are the national procedure; a province that
    has rows for a step replaces the national rule for that step (its own quy chế). `kind` says for which
    đề án: local ones (khuyến công địa phương) or national ones (khuyến công quốc gia, through the Cục)."""

    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workflow_step_roles",
        help_text=_("Để trống: quy trình chung toàn quốc (mặc định)."),
    )
    action = models.CharField(_("bước"), max_length=24, choices=WorkflowAction.choices)
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    kind = models.CharField(
        _("loại đề án"),
        max_length=4,
        choices=[("kcdp", _("Khuyến công địa phương")), ("kcqg", _("Khuyến công quốc gia"))],
        default="kcdp",
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công bước xử lý")
        verbose_name_plural = _("phân công bước xử lý (quy trình)")
        ordering = ["kind", "province", "action", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province", "action", "role"],
                condition=Q(province__isnull=False),
                name="workflowsteprole_unique_province",
            ),
            models.UniqueConstraint(
                fields=["kind", "action", "role"],
                condition=Q(province__isnull=True),
                name="workflowsteprole_unique_national",
            ),
            models.CheckConstraint(
                condition=~Q(role="ministry"), name="workflowsteprole_ministry_reads_only"
            ),
            # The Ministry acts on national đề án only; on local ones every Ministry role reads.
            models.CheckConstraint(
                condition=Q(kind="kcqg") | ~Q(role__in=["cuc_officer", "cuc_council", "cuc_leader"]),
                name="workflowsteprole_ministry_national_only",
            ),
        ]

    def __str__(self) -> str:
        where = self.province or _("toàn quốc")
        return f"{where} ({self.get_kind_display()}): {self.get_action_display()} — {self.get_role_display()}"


class ProcedureDeadline(models.Model):
    """A deadline of the procedure, shown and warned about (never silently enforced). Rows without a
    province are the national default; a province's row for the same code replaces it."""

    class Code(models.TextChoices):
        REGISTER = "register", _("Nộp hồ sơ đề án quốc gia cho Sở")
        FORWARD = "forward", _("Sở gửi danh sách đề án quốc gia cho Cục")
        MONTHLY_REPORT = "monthly_report", _("Báo cáo tiến độ tháng")
        SETTLEMENT_DOSSIER = "settlement_dossier", _("Nộp hồ sơ quyết toán sau nghiệm thu")
        SETTLEMENT = "settlement", _("Thanh lý hợp đồng và quyết toán")

    code = models.CharField(_("thời hạn"), max_length=20, choices=Code.choices)
    kind = models.CharField(
        _("loại đề án"),
        max_length=4,
        choices=[("kcdp", _("Khuyến công địa phương")), ("kcqg", _("Khuyến công quốc gia"))],
        default="kcqg",
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="procedure_deadlines",
        help_text=_("Để trống: thời hạn chung toàn quốc (mặc định)."),
    )
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True)
    year_offset = models.SmallIntegerField(
        _("năm so với năm kế hoạch"),
        default=0,
        help_text=_("-1: năm trước năm kế hoạch (đăng ký); 1: năm sau (quyết toán)."),
    )
    days_after = models.PositiveSmallIntegerField(
        _("số ngày sau sự kiện"), null=True, blank=True, help_text=_("ví dụ: 15 ngày sau nghiệm thu")
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thời hạn trong quy trình")
        verbose_name_plural = _("thời hạn trong quy trình")
        ordering = ["kind", "code", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=Q(province__isnull=True), name="deadline_unique_national"
            ),
            models.UniqueConstraint(
                fields=["kind", "code", "province"],
                condition=Q(province__isnull=False),
                name="deadline_unique_province",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)),
                name="deadline_month_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | (Q(day__gte=1) & Q(day__lte=31)), name="deadline_day_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} — {self.legal_basis}"
