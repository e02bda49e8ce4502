"""Several đề án or advances at once (one step for all, each checked and audited on its own), and internal
notes on a đề án."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from accounts.scoping import user_province_id

from .forms.bulk import BulkAdvanceDecideForm, BulkStepForm, NoteForm
from .models import Advance, Project, WorkflowAction
from .permissions import can_take, in_scope, is_read_only, may_take_step
from .services.bulk import BULK_PROJECT_ACTIONS, advances_decide, projects_take_step
from .services.notes import project_note_add


def bulk_actions_for(user) -> list[str]:
    """The bulk steps to offer this user: those their role takes somewhere in their province."""
    if is_read_only(user):
        return []
    sample = Project(province_id=user_province_id(user))
    return [a for a in BULK_PROJECT_ACTIONS if may_take_step(user, sample, a)]


def _back(request) -> str:
    """Where the list was (its filters kept), if it is a page of this site."""
    url = request.POST.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)
    return url if url and ok else reverse("projects:list")


def _in_order(objects, ids: list[int]) -> tuple[list, list[int]]:
    found = {o.pk: o for o in objects}
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


class ReadOnlyRefusedMixin(LoginRequiredMixin):
    """The read-only Ministry viewer is refused any write here (403), whatever the form holds."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.user.is_authenticated and is_read_only(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectBulkStepView(ReadOnlyRefusedMixin, View):
    def post(self, request):
        actions = bulk_actions_for(request.user)
        form = BulkStepForm(request.POST, actions=actions)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(error))
            return redirect(_back(request))
        projects, missing = _in_order(
            Project.objects.visible_to(request.user).filter(pk__in=form.ids), form.ids
        )
        action = form.cleaned_data["action"]
        outcomes = projects_take_step(
            actor=request.user, projects=projects, action=action, **form.service_kwargs()
        )
        return render(
            request,
            "projects/bulk_result.html",
            {
                "step": WorkflowAction(action).label,
                "done": [o for o in outcomes if o.done],
                "refused": [o for o in outcomes if not o.done],
                "missing": len(missing),
                "back": _back(request),
                "kind": "projects",
            },
        )


def requested_advances(user):
    return (
        Advance.objects.filter(
            status=Advance.Status.REQUESTED, project__in=Project.objects.visible_to(user).values("pk")
        )
        .select_related("project", "source", "requested_by")
        .order_by("requested_at", "pk")
    )


class AdvanceListView(ReadOnlyRefusedMixin, View):
    """Advances waiting for a decision in the user's scope; leadership ticks several and decides them."""

    def get(self, request):
        advances = list(requested_advances(request.user))
        can_decide = any(can_take(request.user, a.project, WorkflowAction.DECIDE_ADVANCE) for a in advances)
        return render(
            request,
            "projects/advance_list.html",
            {"advances": advances, "can_decide": can_decide, "form": BulkAdvanceDecideForm()},
        )

    def post(self, request):
        form = BulkAdvanceDecideForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(error))
            return redirect("projects:advances")
        advances, missing = _in_order(requested_advances(request.user).filter(pk__in=form.ids), form.ids)
        outcomes = advances_decide(
            actor=request.user,
            advances=advances,
            approve=form.approve,
            decision_date=form.cleaned_data["decision_date"],
            comment=form.cleaned_data["comment"],
        )
        return render(
            request,
            "projects/bulk_result.html",
            {
                "step": _("Duyệt tạm ứng") if form.approve else _("Không duyệt tạm ứng"),
                "done": [o for o in outcomes if o.done],
                "refused": [o for o in outcomes if not o.done],
                "missing": len(missing),
                "back": reverse("projects:advances"),
                "kind": "advances",
            },
        )


class ProjectNoteCreateView(ReadOnlyRefusedMixin, View):
    def post(self, request, pk):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        if not in_scope(request.user, project):
            raise Http404  # notes belong to the province's staff: elsewhere the page answers as for no đề án
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                project_note_add(actor=request.user, project=project, text=form.cleaned_data["text"])
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Đã lưu ghi chú nội bộ."))
        else:
            messages.error(request, _("Chưa nhập nội dung ghi chú."))
        return redirect(reverse("projects:detail", args=[project.pk]) + "#notes")
