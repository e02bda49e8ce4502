"""The audit trail of a đề án's moves, and the province-configurable table of who takes which step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from .project import ProjectStatus


class WorkflowAction(models.TextChoices):
    """Every step a user can take on a đề án: the status moves and the records kept along the way."""

    SUBMIT = "submit", _("Đăng ký (trình) đề án")
    START_APPRAISAL = "start_appraisal", _("Đưa ra thẩm định")
    RETURN = "return", _("Yêu cầu bổ sung")
    REJECT = "reject", _("Không phê duyệt")
    APPROVE = "approve", _("Phê duyệt")
    CONTRACT = "contract", _("Ký hợp đồng/giao nhiệm vụ")
    START = "start", _("Bắt đầu thực hiện")
    REQUEST_ADJUSTMENT = "request_adjustment", _("Đề nghị điều chỉnh, bổ sung")
    APPROVE_ADJUSTMENT = "approve_adjustment", _("Phê duyệt điều chỉnh, bổ sung")
    DECLINE_ADJUSTMENT = "decline_adjustment", _("Không chấp thuận điều chỉnh")
    STOP = "stop", _("Ngừng triển khai")
    WITHDRAW = "withdraw", _("Rút đề án")
    ACCEPT = "accept", _("Nghiệm thu")
    CLOSE = "close", _("Thanh lý hợp đồng")
    SETTLE = "settle", _("Phê duyệt quyết toán")
    EDIT = "edit", _("Sửa đề án")
    APPRAISE = "appraise", _("Chấm phiếu thẩm định")
    REPORT_PROGRESS = "report_progress", _("Báo cáo tiến độ tháng")
    REQUEST_ADVANCE = "request_advance", _("Đề nghị tạm ứng")
    DECIDE_ADVANCE = "decide_advance", _("Duyệt tạm ứng")
    RECORD_DISBURSEMENT = "record_disbursement", _("Ghi nhận giải ngân")
    RECORD_OUTPUTS = "record_outputs", _("Ghi nhận kết quả đầu ra")
    UPLOAD_DOCUMENT = "upload_document", _("Tải lên tài liệu")


class ProjectTransitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectTransitionQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "project__province"))


class ProjectTransition(models.Model):
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
    has rows for a step replaces the national rule for that step (its own quy chế)."""

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
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công bước xử lý")
        verbose_name_plural = _("phân công bước xử lý (quy trình)")
        ordering = ["province", "action", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "action", "role"],
                condition=Q(province__isnull=False),
                name="workflowsteprole_unique_province",
            ),
            models.UniqueConstraint(
                fields=["action", "role"],
                condition=Q(province__isnull=True),
                name="workflowsteprole_unique_national",
            ),
            models.CheckConstraint(
                condition=~Q(role="ministry"), name="workflowsteprole_ministry_reads_only"
            ),
        ]

    def __str__(self) -> str:
        where = self.province or _("toàn quốc")
        return f"{where}: {self.get_action_display()} — {self.get_role_display()}"
