"""Staff pages of the đề án: the list, the one-page view and its steps (the entry page: projects.entry_views)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from khuyencong import once
from khuyencong.listing import Column, FilteredListView, SortOption

from . import services
from .bulk_views import bulk_actions_for
from .filters import ProjectFilter
from .forms import steps as step_forms
from .forms.bulk import BulkStepForm, NoteForm
from .models import Acceptance, Advance, Project, ProjectDocument, ProjectNote, ProjectStatus, WorkflowAction
from .permissions import (
    can_read_audit_trail,
    can_take,
    in_scope,
    is_read_only,
    may_take_step,
)
from .programme_progress import budget_sum
from .selectors import (
    appraisal_standing,
    appraisal_summary,
    available_moves,
    overdue_months,
    project_money,
)
from .services.deadlines import project_deadlines
from .services.entry import may_create_project
from .workflow import OPTIONAL_MOVES, InvalidTransition

A = WorkflowAction


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


# ---------------------------------------------------------------------------------------------- the page


def moved_on_message(project: Project, action: str) -> str:
    """Why a step that this user takes on đề án like this one cannot be taken on it any more: the last move
    made on it, by whom and when, and its status now."""
    last = project.transitions.select_related("actor").order_by("-created_at", "-id").first()
    step = _("sửa đề án") if action == A.EDIT else _("thực hiện «%(step)s»") % {"step": A(action).label}
    values = {"code": project.code, "status": project.get_status_display(), "doing": step}
    if last is None:
        return _("Đề án %(code)s đang ở trạng thái «%(status)s» nên không còn %(doing)s được nữa.") % values
    values |= {
        "who": last.actor.get_full_name() or last.actor.get_username(),
        "move": A(last.action).label,
        "when": formats.date_format(timezone.localtime(last.created_at), "SHORT_DATETIME_FORMAT"),
    }
    return (
        _(
            "%(who)s đã thực hiện «%(move)s» với đề án %(code)s lúc %(when)s; đề án nay ở trạng thái "
            "«%(status)s» nên không còn %(doing)s được nữa."
        )
        % values
    )


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
        # In tranche order (the model's own order starts with the đề án, which would join it for nothing).
        advances = list(
            project.advances.select_related("source", "requested_by", "decided_by").order_by("tranche")
        )
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
        appraisal = appraisal_summary(project)
        standing = appraisal_standing(project, sheets=appraisal["sheets"])
        # The lists of one đề án are read in their model's order without its leading "by đề án", which would
        # join the đề án table to every read for nothing.
        context = {
            "project": project,
            "contents": project.contents.all(),
            "sites": sites,
            "site_note": site_note(project.site_address, sites),
            "links": project.beneficiary_links.select_related("beneficiary", "beneficiary__kind"),
            "budget_lines": project.budget_lines.select_related("source", "content").order_by("order", "id"),
            "outputs": project.outputs.select_related("indicator").order_by("indicator__order", "id"),
            "transitions": project.transitions.select_related("actor")
            .prefetch_related(Prefetch("documents", ProjectDocument.objects.order_by("-uploaded_at", "-id")))
            .order_by("created_at", "id"),
            "documents": project.documents.filter(transition__isnull=True)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-id"),
            "appraisal": appraisal,
            "standing": standing,
            "appraisal_short": not standing.met
            and project.status in (ProjectStatus.SUBMITTED, ProjectStatus.APPRAISING),
            "reports": project.progress_reports.select_related("reported_by").order_by("-month"),
            "overdue_months": overdue_months(project),
            "advances": advances,
            "disbursements": project.disbursements.select_related("source").order_by("-paid_on", "-id"),
            "acceptance": Acceptance.objects.filter(project=project).select_related("recorded_by").first(),
            "settlement": project.settlement_lines.select_related("source").order_by("source__order", "id"),
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
        if step_moved_on(request.user, project, action):
            return self.moved_on(request, project, action)
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
                project.refresh_from_db()  # moved on by someone else between the page's check and the lock?
                if step_moved_on(request.user, project, action):
                    return self.moved_on(request, project, action)
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

    @staticmethod
    def moved_on(request, project: Project, action: str):
        """The step was sent from a page opened before someone else moved the đề án on: nothing is written;
        the user is shown the đề án as it is now, at the panel of what can be done now (#steps)."""
        text = _("Chưa ghi gì: %(why)s") % {"why": moved_on_message(project, action)}
        comment = (request.POST.get(f"{action}-comment") or "").strip()
        if comment:
            text += " " + _("Ý kiến bạn đã nhập: «%(comment)s».") % {"comment": comment[:500]}
        messages.warning(request, text)
        return redirect(reverse("projects:detail", args=[project.pk]) + "#steps")


def step_moved_on(user, project: Project, action: str) -> bool:
    """The user takes `action` on đề án like this one, but this one's status no longer allows it (another
    user moved it on since the page was opened). A user who never takes it is refused by the service: 403."""
    return may_take_step(user, project, action) and not can_take(user, project, action)
