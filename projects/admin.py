"""Admin for đề án. Moves are admin actions that call the same services as the staff pages; the đề án, its
estimate, beneficiaries and outputs, the audit rows and the records kept by services are read-only here: a
đề án is opened and edited on the staff entry page (projects.services.entry, with its rules: editable
statuses, the plan in the đề án's own province), changed after approval only through the adjustment flow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, F, OuterRef, Subquery, Sum, Value
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from khuyencong.money import format_dong
from spreadsheets.admin import PortalImportMixin
from spreadsheets.resources.projects import ProjectResource

from . import services
from .models import (
    Acceptance,
    Advance,
    AdvanceRule,
    Appraisal,
    AppraisalRule,
    BudgetLine,
    Disbursement,
    ProcedureDeadline,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectDocument,
    ProjectOutput,
    ProjectTransition,
    SettlementLine,
    WorkflowAction,
    WorkflowStepRole,
)
from .selectors import appraisal_summary
from .workflow import InvalidTransition, action_allowed_in


class ReadOnlyAdminMixin:
    """Records written only by services: visible, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "source", "content", "expense_item", "amount"]
    readonly_fields = fields


class ProjectBeneficiaryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectBeneficiary
    extra = 0
    fields = ["beneficiary", "support_amount", "counterpart_amount", "counterpart_committed", "note"]
    readonly_fields = fields


class ProjectOutputInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectOutput
    extra = 0
    fields = ["indicator", "planned", "achieved", "note"]
    readonly_fields = fields


class ProjectTransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectTransition
    extra = 0
    fields = [
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "decision_number",
        "decision_date",
        "comment",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    verbose_name_plural = _("lịch sử xử lý (không sửa được)")


class AppraisalInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Appraisal
    extra = 0
    fields = ["appraiser", *Appraisal.CRITERIA, "total", "recommendation", "comment", "submitted_at"]
    readonly_fields = fields

    @admin.display(description=_("tổng điểm"))
    def total(self, obj):
        return obj.total


class MoveFields(forms.Form):
    """What the move actions need, typed once for all selected đề án."""

    decision_number = forms.CharField(label=_("Số quyết định/văn bản"), required=False, max_length=80)
    decision_date = forms.DateField(label=_("Ngày (dd/mm/yyyy)"), required=False)
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=1000)
    acknowledge_double_support = forms.BooleanField(label=_("Đã xem cảnh báo hỗ trợ trùng"), required=False)


class MoveActionForm(ActionForm, MoveFields):
    """The admin's action bar with the move fields beside the action choice."""


def _move_arguments(action: str, data: dict) -> dict:
    number, day, comment = (
        data.get("decision_number") or "",
        data.get("decision_date"),
        data.get("comment") or "",
    )
    if action in (WorkflowAction.APPROVE, WorkflowAction.APPROVE_ADJUSTMENT):
        return {
            "decision_number": number,
            "decision_date": day,
            "comment": comment,
            "acknowledge_double_support": bool(data.get("acknowledge_double_support")),
        }
    if action == WorkflowAction.CONTRACT:
        return {"contract_number": number, "contract_date": day, "comment": comment}
    if action == WorkflowAction.CLOSE:
        return {"closure_number": number, "closure_date": day, "comment": comment}
    if action == WorkflowAction.STOP:
        return {"decision_number": number, "decision_date": day, "comment": comment}
    return {"comment": comment}


def _make_move_action(action: str):
    service = services.MOVE_SERVICES[action]

    def run(modeladmin, request, queryset):
        form = MoveFields(request.POST)
        if not form.is_valid():
            modeladmin.message_user(request, _("Ngày không hợp lệ (dd/mm/yyyy)."), messages.ERROR)
            return
        data = form.cleaned_data
        done = 0
        for project in queryset.order_by("code"):
            try:
                service(actor=request.user, project=project, **_move_arguments(action, data))
                done += 1
            except (ValidationError, InvalidTransition, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"{project.code}: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request,
                _("%(step)s: đã thực hiện với %(count)s đề án.")
                % {"step": WorkflowAction(action).label, "count": done},
                messages.SUCCESS,
            )

    run.__name__ = f"move_{action}"
    run.short_description = WorkflowAction(action).label
    run.allowed_permissions = ("view",)
    return run


# Moves an admin can take in bulk; acceptance and settlement need per-đề án figures (staff pages).
ADMIN_MOVES = [
    WorkflowAction.SUBMIT,
    WorkflowAction.START_APPRAISAL,
    WorkflowAction.APPROVE,
    WorkflowAction.RETURN,
    WorkflowAction.REJECT,
    WorkflowAction.CONTRACT,
    WorkflowAction.START,
    WorkflowAction.REQUEST_ADJUSTMENT,
    WorkflowAction.APPROVE_ADJUSTMENT,
    WorkflowAction.DECLINE_ADJUSTMENT,
    WorkflowAction.STOP,
    WorkflowAction.WITHDRAW,
    WorkflowAction.CLOSE,
]


@admin.register(Project)
class ProjectAdmin(PortalImportMixin, admin.ModelAdmin):
    resource_classes = [ProjectResource]
    list_display = [
        "code",
        "title",
        "plan",
        "kind",
        "status",
        "total_display",
        "appraisal_average",
        "is_demo",
    ]
    list_filter = ["status", "kind", "year", "plan", "contents", "is_demo"]
    search_fields = ["code", "title", "search_text"]
    autocomplete_fields = ["plan", "implementing_agency", "sites"]
    filter_horizontal = ["contents"]
    readonly_fields = [
        "edit_on_staff_page",
        "status",
        "province",
        "totals_by_source",
        "appraisal_overview",
        "approval_decision_number",
        "approval_decision_date",
        "contract_number",
        "contract_date",
        "closure_number",
        "closure_date",
        "settlement_decision_number",
        "settlement_decision_date",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["plan"]
    inlines = [
        BudgetLineInline,
        ProjectBeneficiaryInline,
        ProjectOutputInline,
        AppraisalInline,
        ProjectTransitionInline,
    ]
    action_form = MoveActionForm
    actions = [_make_move_action(a) for a in ADMIN_MOVES]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .annotate(
                total=Sum("budget_lines__amount"),
                appraisal_avg=Subquery(
                    Appraisal.objects.filter(project=OuterRef("pk"))
                    .values("project")
                    .annotate(average=Avg(sum((F(c) for c in Appraisal.CRITERIA), Value(0))))
                    .values("average")
                ),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def has_add_permission(self, request):
        # Opened on the staff entry page or by an Excel import, both through projects.services.
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only: content through the staff entry page, moves through the actions (the services).
        return False

    @admin.display(description=_("sửa đề án"))
    def edit_on_staff_page(self, obj):
        if not obj.pk or not action_allowed_in(WorkflowAction.EDIT, obj.status):
            return _(
                "Không sửa được ở trạng thái này; sau phê duyệt chỉ thay đổi qua bước «Đề nghị điều chỉnh»."
            )
        return format_html(
            '<a href="{}">{}</a>', reverse("projects:edit", args=[obj.pk]), _("Sửa trên trang đề án")
        )

    def has_delete_permission(self, request, obj=None):
        # A đề án with a history is evidence: it is withdrawn or stopped, never deleted.
        if obj is not None and obj.transitions.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("tổng dự toán (đồng)"), ordering="total")
    def total_display(self, obj):
        return format_dong(obj.total)

    @admin.display(description=_("điểm thẩm định TB"), ordering="appraisal_avg")
    def appraisal_average(self, obj):
        average = getattr(obj, "appraisal_avg", None)
        return "—" if average is None else f"{average:.1f}".replace(".", ",")

    @admin.display(description=_("thẩm định"))
    def appraisal_overview(self, obj):
        if not obj.pk:
            return "—"
        summary = appraisal_summary(obj)
        if not summary["count"]:
            return _("Chưa có phiếu thẩm định.")
        labels = dict(Appraisal._meta.get_field("recommendation").choices)
        return format_html(
            "{} <strong>{}</strong>/100 ({} {}). {}",
            _("Điểm trung bình"),
            f"{summary['average']:.1f}".replace(".", ","),
            summary["count"],
            _("phiếu"),
            "; ".join(f"{labels[k]}: {n}" for k, n in summary["recommendations"].items()),
        )

    @admin.display(description=_("dự toán theo nguồn"))
    def totals_by_source(self, obj):
        rows = (
            obj.budget_lines.values("source__name").annotate(amount=Sum("amount")).order_by("source__order")
            if obj.pk
            else []
        )
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<div>{}: <strong>{}</strong></div>",
            ((r["source__name"] or _("Chưa xác định nguồn"), format_dong(r["amount"])) for r in rows),
        )


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "project", "action", "from_status", "to_status", "actor", "decision_number"]
    list_filter = ["action", "to_status"]
    search_fields = ["project__code", "decision_number", "comment"]
    list_select_related = ["project", "actor"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(WorkflowStepRole)
class WorkflowStepRoleAdmin(admin.ModelAdmin):
    list_display = ["action", "role", "kind", "province", "legal_basis"]
    list_filter = ["kind", "action", "role", ("province", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["province"]


@admin.register(ProcedureDeadline)
class ProcedureDeadlineAdmin(admin.ModelAdmin):
    """The procedure's deadlines: data an administrator may adjust (a province may have its own row)."""

    list_display = ["code", "kind", "province", "month", "day", "year_offset", "days_after", "legal_basis"]
    list_filter = ["kind", "code", ("province", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["province"]


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(admin.ModelAdmin):
    list_display = ["percentage", "content", "min_percent_complete", "condition", "legal_basis"]


class _ProjectRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_select_related = ["project"]
    search_fields = ["project__code"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(project__in=Project.objects.visible_to(request.user))


@admin.register(Appraisal)
class AppraisalAdmin(_ProjectRecordAdmin):
    list_display = ["project", "appraiser", "recommendation", "submitted_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(_ProjectRecordAdmin):
    list_display = ["project", "month", "due_on", "submitted_at", "percent_complete"]


@admin.register(Advance)
class AdvanceAdmin(_ProjectRecordAdmin):
    list_display = ["project", "tranche", "source", "amount_display", "status", "requested_by", "decided_by"]
    list_filter = ["status"]

    @admin.display(description=_("số tiền"))
    def amount_display(self, obj):
        return format_dong(obj.amount)


@admin.register(Disbursement)
class DisbursementAdmin(_ProjectRecordAdmin):
    list_display = ["project", "paid_on", "source", "amount_display", "reference"]

    @admin.display(description=_("số tiền"))
    def amount_display(self, obj):
        return format_dong(obj.amount)


@admin.register(Acceptance)
class AcceptanceAdmin(_ProjectRecordAdmin):
    list_display = ["project", "minutes_number", "minutes_date", "conclusion"]


@admin.register(SettlementLine)
class SettlementLineAdmin(_ProjectRecordAdmin):
    list_display = ["project", "source", "amount"]


@admin.register(ProjectDocument)
class ProjectDocumentAdmin(_ProjectRecordAdmin):
    list_display = [
        "project",
        "kind",
        "original_name",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
        "link",
    ]
    exclude = ["file"]

    @admin.display(description=_("tải về"))
    def link(self, obj):
        try:
            url = reverse("projects:document", args=[obj.pk])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, _("Tải về"))


@admin.register(AppraisalRule)
class AppraisalRuleAdmin(admin.ModelAdmin):
    """The appraisal a đề án needs before approval: reference data of the procedure, audited."""

    list_display = ("__str__", "min_sheets", "min_average", "legal_basis")
    autocomplete_fields = ("province",)
