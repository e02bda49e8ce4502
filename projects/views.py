"""Staff pages of the đề án: list, entry (create/edit as draft), the one-page view, and the moves."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.scoping import user_province_id
from khuyencong import once
from khuyencong.listing import Column, FilteredListView, SortOption
from programs.models import FundingSource, SupportCap

from . import services
from .bulk_views import bulk_actions_for
from .filters import ProjectFilter
from .forms import steps as step_forms
from .forms.bulk import BulkStepForm, NoteForm
from .forms.entry import ProjectForm, entry_formsets
from .models import Acceptance, Advance, Project, ProjectNote, ProjectStatus, WorkflowAction
from .permissions import can_edit_project, can_read_audit_trail, in_scope, is_read_only
from .programme_progress import budget_sum
from .selectors import (
    appraisal_standing,
    appraisal_summary,
    available_moves,
    overdue_months,
    project_money,
)
from .services.deadlines import project_deadlines
from .services.entry import may_create_project, project_save_draft
from .workflow import OPTIONAL_MOVES, InvalidTransition


class ProjectListView(FilteredListView):
    template_name = "projects/project_list.html"
    filterset_class = ProjectFilter
    sort_options = {
        "-year": SortOption(gettext_lazy("Năm (mới nhất trước)"), ("-year", "code")),
        "year": SortOption(gettext_lazy("Năm (cũ nhất trước)"), ("year", "code")),
        "code": SortOption(gettext_lazy("Mã đề án"), ("code",)),
        "-code": SortOption(gettext_lazy("Mã đề án (ngược lại)"), ("-code",)),
        "title": SortOption(gettext_lazy("Tên đề án"), ("title", "code")),
        "-title": SortOption(gettext_lazy("Tên đề án (ngược lại)"), ("-title", "code")),
        "status": SortOption(gettext_lazy("Trạng thái"), ("status", "code")),
        "-status": SortOption(gettext_lazy("Trạng thái (ngược lại)"), ("-status", "code")),
        "-total": SortOption(gettext_lazy("Kinh phí (lớn nhất trước)"), ("-total", "code")),
        "total": SortOption(gettext_lazy("Kinh phí (nhỏ nhất trước)"), ("total", "code")),
        "-state_total": SortOption(
            gettext_lazy("Ngân sách nhà nước (lớn nhất trước)"), ("-state_total", "code")
        ),
        "state_total": SortOption(
            gettext_lazy("Ngân sách nhà nước (nhỏ nhất trước)"), ("state_total", "code")
        ),
    }
    default_sort = "-year"
    export_filename = "de-an-khuyen-cong"
    export_title = gettext_lazy("Đề án khuyến công")
    export_columns = (
        Column(gettext_lazy("Mã đề án"), lambda p: p.code),
        Column(gettext_lazy("Tên đề án"), lambda p: p.title),
        Column(gettext_lazy("Năm"), lambda p: p.year),
        Column(gettext_lazy("Kế hoạch"), lambda p: p.plan.name),
        Column(gettext_lazy("Loại"), lambda p: p.get_kind_display()),
        Column(gettext_lazy("Nội dung"), lambda p: "; ".join(str(c) for c in p.contents.all())),
        Column(gettext_lazy("Trạng thái"), lambda p: p.get_status_display()),
        Column(gettext_lazy("Tổng kinh phí (đồng)"), lambda p: p.total),
        Column(gettext_lazy("Ngân sách nhà nước (đồng)"), lambda p: p.state_total),
    )

    def base_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("plan")
            .prefetch_related("contents")
            .annotate(total=budget_sum(), state_total=budget_sum(source__is_state_budget=True))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = may_create_project(self.request.user)
        actions = bulk_actions_for(self.request.user)
        context["bulk_form"] = BulkStepForm(actions=actions) if actions else None
        return context


# ---------------------------------------------------------------------------------------------- entry


def _apply_service_errors(error: ValidationError, form) -> None:
    """Put a service's ValidationError next to the field at fault, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class ProjectEntryMixin(LoginRequiredMixin):
    """The entry page, for a new đề án or a draft being edited. A failed save re-shows everything typed."""

    template_name = "projects/project_form.html"
    project: Project | None = None

    def forms(self, data=None):
        user = self.request.user
        form = ProjectForm(data, instance=self.project or Project(), user=user)
        return form, entry_formsets(data, user=user, project=self.project)

    def render_page(self, form, formsets, status=200):
        today = timezone.localdate()
        caps: dict[str, list] = {}
        for cap in SupportCap.objects.in_force(on=today, province=user_province_id(self.request.user)).filter(
            category=SupportCap.Category.SUPPORT
        ):
            caps.setdefault(str(cap.content_id), []).append(cap)
        contents = [(widget, caps.get(str(widget.data["value"]), [])) for widget in form["contents"]]
        sources = {
            str(s.pk): {"name": s.short_name, "counterpart": s.is_counterpart, "state": s.is_state_budget}
            for s in FundingSource.objects.all()
        }
        context = {
            "form": form,
            "formsets": formsets,
            "project": self.project,
            "content_rows": contents,
            "funding_sources": sources,
            "has_errors": bool(form.errors)
            or any(not fs.is_valid() for fs in formsets.values() if fs.is_bound),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        form, formsets = self.forms()
        return self.render_page(form, formsets)

    def post(self, request, *args, **kwargs):
        if (done := once.earlier(request)) is not None:
            messages.info(request, once.ALREADY_DONE)
            return redirect(done.result_url or reverse("projects:list"))
        form, formsets = self.forms(request.POST)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid:
            try:
                with transaction.atomic():
                    claim = once.claim(request)
                    if claim.first:
                        project = project_save_draft(
                            actor=request.user,
                            project=self.project,
                            data=form.service_data(),
                            contents=list(form.cleaned_data.get("contents") or []),
                            sites=list(form.cleaned_data.get("sites") or []),
                            beneficiaries=formsets["beneficiaries"].service_rows(),
                            budget_lines=formsets["budget"].service_rows(),
                            outputs=formsets["outputs"].service_rows(),
                        )
                        claim.finish(reverse("projects:detail", args=[project.pk]))
            except ValidationError as error:
                _apply_service_errors(error, form)
            else:
                if not claim.first:
                    messages.info(request, once.ALREADY_DONE)
                    return redirect(claim.result_url or reverse("projects:list"))
                messages.success(request, _("Đã lưu dự thảo đề án «%(title)s».") % {"title": project.title})
                return redirect("projects:detail", pk=project.pk)
        messages.error(
            request, _("Chưa lưu được đề án: hãy sửa các ô được đánh dấu. Những gì đã nhập vẫn còn nguyên.")
        )
        return self.render_page(form, formsets, status=400)


class ProjectCreateView(ProjectEntryMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_create_project(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectUpdateView(ProjectEntryMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(Project.objects.visible_to(request.user), pk=kwargs["pk"])
            if not can_edit_project(request.user, self.project):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------------- the page


A = WorkflowAction

# The form each step shows, and how to call its service with the form's cleaned data.
STEP_FORMS: dict[str, type] = {
    A.SUBMIT: step_forms.SubmitForm,
    A.START_APPRAISAL: step_forms.StepForm,
    A.RETURN: step_forms.RequiredCommentForm,
    A.REJECT: step_forms.RequiredCommentForm,
    A.APPROVE: step_forms.DecisionForm,
    A.CONTRACT: step_forms.ContractForm,
    A.START: step_forms.StepForm,
    A.REQUEST_ADJUSTMENT: step_forms.AdjustmentRequestForm,
    A.APPROVE_ADJUSTMENT: step_forms.DecisionForm,
    A.DECLINE_ADJUSTMENT: step_forms.RequiredCommentForm,
    A.STOP: step_forms.StopForm,
    A.WITHDRAW: step_forms.StepForm,
    A.ACCEPT: step_forms.AcceptanceForm,
    A.CLOSE: step_forms.CloseForm,
    A.SETTLE: step_forms.SettleForm,
    A.APPRAISE: step_forms.AppraisalForm,
    A.REPORT_PROGRESS: step_forms.ProgressReportForm,
    A.REQUEST_ADVANCE: step_forms.AdvanceRequestForm,
    A.DECIDE_ADVANCE: step_forms.AdvanceDecideForm,
    A.RECORD_DISBURSEMENT: step_forms.DisbursementForm,
    A.RECORD_OUTPUTS: step_forms.OutputsRecordForm,
    A.UPLOAD_DOCUMENT: step_forms.DocumentForm,
    A.FORWARD: step_forms.StepForm,
    A.CUC_RECEIVE: step_forms.StepForm,
    A.CUC_RETURN: step_forms.RequiredCommentForm,
    A.CUC_REJECT: step_forms.RequiredCommentForm,
    A.CUC_APPRAISE: step_forms.AppraisalForm,
}

RECORD_SERVICES = {
    A.APPRAISE: services.appraisal_submit,
    A.CUC_APPRAISE: services.appraisal_submit,
    A.REPORT_PROGRESS: services.progress_report_submit,
    A.REQUEST_ADVANCE: services.advance_request,
    A.RECORD_DISBURSEMENT: services.disbursement_record,
    A.RECORD_OUTPUTS: services.outputs_record,
    A.UPLOAD_DOCUMENT: services.document_upload,
}

DONE_MESSAGES = {
    A.APPRAISE: gettext_lazy("Đã gửi phiếu thẩm định."),
    A.CUC_APPRAISE: gettext_lazy("Đã gửi phiếu thẩm định."),
    A.REPORT_PROGRESS: gettext_lazy("Đã nộp báo cáo tiến độ."),
    A.REQUEST_ADVANCE: gettext_lazy("Đã gửi đề nghị tạm ứng."),
    A.DECIDE_ADVANCE: gettext_lazy("Đã xử lý đề nghị tạm ứng."),
    A.RECORD_DISBURSEMENT: gettext_lazy("Đã ghi nhận giải ngân."),
    A.RECORD_OUTPUTS: gettext_lazy("Đã ghi nhận kết quả đầu ra."),
    A.UPLOAD_DOCUMENT: gettext_lazy("Đã tải lên tài liệu."),
}

# Steps shown as a link or inside their own section rather than in the panel of steps.
_NOT_IN_PANEL = {A.EDIT, A.DECIDE_ADVANCE}


# Steps that turn a đề án back or end it, with what they do spelled out before the click. A "danger" step
# cannot be undone (the đề án leaves the lifecycle); a "caution" step sends it back a stage.
DANGER_STEPS = {
    A.REJECT: gettext_lazy(
        "Không phê duyệt là kết thúc: đề án chuyển sang «Không phê duyệt» và không thể xử lý tiếp; "
        "muốn làm lại phải lập đề án mới."
    ),
    A.WITHDRAW: gettext_lazy(
        "Rút đề án là kết thúc: đề án chuyển sang «Đã rút», không thể đăng ký lại hay sửa tiếp."
    ),
    A.STOP: gettext_lazy(
        "Dừng thực hiện là kết thúc: đề án không được tạm ứng, giải ngân hay nghiệm thu thêm; "
        "việc này không hoàn tác được."
    ),
}
CAUTION_STEPS = {
    A.RETURN: gettext_lazy("Đề án được trả về đơn vị lập để sửa và phải đăng ký lại từ đầu."),
    A.DECLINE_ADJUSTMENT: gettext_lazy(
        "Đề nghị điều chỉnh bị từ chối: dự toán trở lại như đã duyệt trước khi đề nghị."
    ),
}


def step_is_due(action: str, project: Project) -> bool:
    """Whether a forward step is the one expected now. Acceptance is offered from the first day of work, but
    expected only once the work is reported complete or the planned end has passed."""
    if action != A.ACCEPT:
        return True
    done = project.progress_reports.order_by("-month").values_list("percent_complete", flat=True).first()
    ended = project.end_date is not None and project.end_date <= timezone.localdate()
    return (done or 0) >= 100 or ended


def present_steps(steps: list[dict], project: Project) -> list[dict]:
    """Give each step its tone and order them: the expected next step first, records after, steps that turn
    the đề án back or end it last, set apart and with their consequence stated."""
    forward = [
        s["move"].action
        for s in steps
        if s["move"].target
        and s["move"].action not in (OPTIONAL_MOVES | DANGER_STEPS.keys() | CAUTION_STEPS.keys())
        and step_is_due(s["move"].action, project)
    ]
    expected = forward[0] if forward else next((a for a in _EXPECTED_RECORDS if a in actions_of(steps)), None)
    for step in steps:
        action = step["move"].action
        if action in DANGER_STEPS:
            step.update(tone="danger", consequence=DANGER_STEPS[action], rank=3)
        elif action in CAUTION_STEPS:
            step.update(tone="caution", consequence=CAUTION_STEPS[action], rank=2)
        elif action == expected:
            step.update(tone="primary", consequence="", rank=0)
        else:
            step.update(tone="", consequence="", rank=1)
    steps = sorted(steps, key=lambda step: step["rank"])
    apart = next((step for step in steps if step["rank"] >= 2), None)
    for step in steps:
        step["first_apart"] = step is apart
    return steps


# The record expected when no move is: the appraisal sheet during appraisal, the monthly report during work.
_EXPECTED_RECORDS = (A.APPRAISE, A.REPORT_PROGRESS)


def actions_of(steps: list[dict]) -> set[str]:
    return {s["move"].action for s in steps}


def perform_step(action: str, *, actor, project: Project, form) -> None:
    """Call the service of `action` with the form's data (the one place a step reaches a service)."""
    kwargs = form.service_kwargs()
    if action in services.MOVE_SERVICES:
        services.MOVE_SERVICES[action](actor=actor, project=project, **kwargs)
    elif action == A.DECIDE_ADVANCE:
        services.advance_decide(actor=actor, **kwargs)
    else:
        RECORD_SERVICES[action](actor=actor, project=project, **kwargs)


def site_note(address: str, sites) -> str:
    """The đề án's address, unless it only repeats a commune already named ("Xã Thạnh An (Xã Thạnh An)")."""
    address = (address or "").strip()
    names = {" ".join(s.full_name.casefold().split()) for s in sites}
    return "" if " ".join(address.casefold().split()) in names else address


def project_page_queryset(user):
    return Project.objects.visible_to(user).select_related(
        "plan", "plan__programme", "province", "implementing_agency", "created_by"
    )


class ProjectDetailView(LoginRequiredMixin, View):
    """Everything about a đề án on one page, with the steps this user may take now."""

    template_name = "projects/project_detail.html"

    def get(self, request, pk, bound_action=None, bound_form=None, status=200):
        project = get_object_or_404(project_page_queryset(request.user), pk=pk)
        return self.render_page(project, bound_action=bound_action, bound_form=bound_form, status=status)

    def render_page(self, project, *, bound_action=None, bound_form=None, status=200):
        user = self.request.user
        moves = available_moves(user, project)
        actions = {m.action for m in moves}
        steps = []
        for move in moves:
            if move.action in _NOT_IN_PANEL:
                continue
            form = (
                bound_form
                if move.action == bound_action
                else STEP_FORMS[move.action](project=project, user=user, prefix=move.action)
            )
            steps.append({"move": move, "form": form, "open": move.action == bound_action})
        steps = present_steps(steps, project)
        advances = list(project.advances.select_related("source", "requested_by", "decided_by"))
        sites = list(project.sites.all())
        decide_forms = {}
        if A.DECIDE_ADVANCE in actions:
            for advance in advances:
                if advance.status == Advance.Status.REQUESTED:
                    decide_forms[advance.pk] = (
                        bound_form
                        if bound_action == A.DECIDE_ADVANCE
                        and bound_form.data.get(f"{A.DECIDE_ADVANCE}-advance") == str(advance.pk)
                        else step_forms.AdvanceDecideForm(
                            project=project,
                            user=user,
                            prefix=A.DECIDE_ADVANCE,
                            initial={"advance": advance.pk},
                        )
                    )
        for advance in advances:
            advance.decide_form = decide_forms.get(advance.pk)
        standing = appraisal_standing(project)
        context = {
            "project": project,
            "contents": project.contents.all(),
            "sites": sites,
            "site_note": site_note(project.site_address, sites),
            "links": project.beneficiary_links.select_related("beneficiary", "beneficiary__kind"),
            "budget_lines": project.budget_lines.select_related("source", "content"),
            "outputs": project.outputs.select_related("indicator"),
            "transitions": project.transitions.select_related("actor").prefetch_related("documents"),
            "documents": project.documents.filter(transition__isnull=True).select_related("uploaded_by"),
            "appraisal": appraisal_summary(project),
            "standing": standing,
            "appraisal_short": not standing.met
            and project.status in (ProjectStatus.SUBMITTED, ProjectStatus.APPRAISING),
            "reports": project.progress_reports.select_related("reported_by").order_by("-month"),
            "overdue_months": overdue_months(project),
            "advances": advances,
            "disbursements": project.disbursements.select_related("source").order_by("-paid_on", "-id"),
            "acceptance": Acceptance.objects.filter(project=project).select_related("recorded_by").first(),
            "settlement": project.settlement_lines.select_related("source"),
            "money": project_money(project),
            "can_read_audit": can_read_audit_trail(user),
            "steps": steps,
            "can_edit": A.EDIT in actions,
            "read_only": is_read_only(user),
            "notes": ProjectNote.objects.visible_to(user).filter(project=project).select_related("author"),
            "notes_shown": in_scope(user, project),
            "may_note": in_scope(user, project) and not is_read_only(user),
            "note_form": NoteForm(),
            "deadlines": project_deadlines(project),
            "today": timezone.localdate(),
            "national_lines": project.national_plan_lines.select_related("plan", "content")
            if project.is_national
            else [],
        }
        return render(self.request, self.template_name, context, status=status)


class ProjectStepView(LoginRequiredMixin, View):
    """POST of one step (a move or a record) from the đề án page: bind its form, call its service."""

    def post(self, request, pk, action):
        project = get_object_or_404(project_page_queryset(request.user), pk=pk)
        if action not in STEP_FORMS:
            raise Http404
        if once.earlier(request) is not None:
            messages.info(request, once.ALREADY_DONE)
            return redirect("projects:detail", pk=project.pk)
        form = STEP_FORMS[action](
            request.POST, request.FILES, project=project, user=request.user, prefix=action
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    claim = once.claim(request)
                    if claim.first:
                        perform_step(action, actor=request.user, project=project, form=form)
            except (ValidationError, InvalidTransition) as error:
                for message in getattr(error, "messages", [str(error)]):
                    form.add_error(None, message)
            else:
                if not claim.first:
                    messages.info(request, once.ALREADY_DONE)
                    return redirect("projects:detail", pk=project.pk)
                if action in services.MOVE_SERVICES:
                    project.refresh_from_db()
                    messages.success(
                        request,
                        _("Đã thực hiện «%(step)s». Trạng thái đề án: %(status)s.")
                        % {"step": WorkflowAction(action).label, "status": project.get_status_display()},
                    )
                else:
                    messages.success(request, DONE_MESSAGES.get(action, _("Đã lưu.")))
                return redirect("projects:detail", pk=project.pk)
        messages.error(
            request,
            _("Chưa thực hiện được «%(step)s»: xem lỗi bên dưới.") % {"step": WorkflowAction(action).label},
        )
        return ProjectDetailView(request=request).get(
            request, pk=project.pk, bound_action=action, bound_form=form, status=400
        )


class PlanRemainingView(LoginRequiredMixin, View):
    """While a đề án is typed: for each source, what its plan was allocated, what approved đề án hold, what
    this đề án asks, and what would be left (an HTMX fragment of the entry page)."""

    def post(self, request):
        from khuyencong.money import parse_dong
        from programs.models import AnnualPlan

        from .services.checks import plan_committed_by_source

        plan = AnnualPlan.objects.visible_to(request.user).filter(pk=request.POST.get("plan") or None).first()
        if plan is None:
            return render(request, "projects/project_form.html#plan-remaining", {"plan": None})
        project = None
        if request.POST.get("project_id", "").isdigit():
            project = Project.objects.visible_to(request.user).filter(pk=request.POST["project_id"]).first()
        asked: dict[int, int] = {}
        for key, value in request.POST.items():
            if not (key.startswith("budget-") and key.endswith("-source")) or not value.isdigit():
                continue
            prefix = key[: -len("source")]
            if request.POST.get(f"{prefix}DELETE"):
                continue
            try:
                amount = parse_dong(request.POST.get(f"{prefix}amount", ""))
            except ValueError:
                continue
            asked[int(value)] = asked.get(int(value), 0) + amount
        allocated = dict(plan.allocations.filter(source__isnull=False).values_list("source_id", "amount"))
        held = plan_committed_by_source(plan, exclude=project)
        sources = FundingSource.objects.in_bulk(set(allocated) | set(asked))
        rows = []
        for source_id in sorted(sources, key=lambda s: (sources[s].order, sources[s].code)):
            source = sources[source_id]
            if source_id not in allocated and not source.is_state_budget:
                continue
            left = allocated.get(source_id, 0) - held.get(source_id, 0)
            rows.append(
                {
                    "source": source,
                    "allocated": allocated.get(source_id, 0),
                    "held": held.get(source_id, 0),
                    "asked": asked.get(source_id, 0),
                    "after": left - asked.get(source_id, 0),
                }
            )
        return render(
            request, "projects/project_form.html#plan-remaining", {"plan": plan, "remaining_rows": rows}
        )
