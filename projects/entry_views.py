"""The đề án entry page (a new đề án, or a draft being edited) and its HTMX fragment of what the plan has left.

A draft submitted by a colleague while this page was open is not an error of the user: the page says who
moved it and when (projects.views.moved_on_message), and what was typed is never dropped silently."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.scoping import user_province_id
from khuyencong import once
from programs.models import FundingSource, SupportCap

from .forms.entry import ProjectForm, entry_formsets
from .models import Project, WorkflowAction
from .permissions import can_edit_project, may_take_step
from .services.entry import may_create_project, project_save_draft
from .views import moved_on_message

A = WorkflowAction


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

    def render_page(self, form, formsets, status=200, *, moved_on: bool = False):
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
            "site_rows": form.site_rows(),
            "funding_sources": sources,
            "has_errors": bool(form.errors)
            or any(not fs.is_valid() for fs in formsets.values() if fs.is_bound),
            # Someone moved the đề án on while this page was open: what was typed is shown, not saved.
            "moved_on": moved_on,
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
        if self.project is not None and not can_edit_project(request.user, self.project):
            return self.moved_on(form, formsets)
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
            except PermissionDenied:
                # Submitted by a colleague between this page's checks and the save (the service locks the
                # row and checks again): the same answer as when it was submitted before.
                if self.project is None or not self.project_moved_on():
                    raise
                return self.moved_on(form, formsets)
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

    def project_moved_on(self) -> bool:
        """The user edits đề án like this one, but this one has left the statuses that may be edited."""
        user, project = self.request.user, self.project
        project.refresh_from_db()
        return may_take_step(user, project, A.EDIT) and not can_edit_project(user, project)

    def moved_on(self, form, formsets):
        """Saved after a colleague submitted the đề án: nothing is saved, and what was typed stays on the page
        (409) so that it can be copied, with who moved the đề án and when."""
        messages.error(
            request=self.request,
            message=_("Chưa lưu gì: %(why)s Những gì bạn vừa nhập vẫn còn bên dưới để chép lại nếu cần.")
            % {"why": moved_on_message(self.project, A.EDIT)},
        )
        return self.render_page(form, formsets, status=409, moved_on=True)


class ProjectCreateView(ProjectEntryMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_create_project(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectUpdateView(ProjectEntryMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(Project.objects.visible_to(request.user), pk=kwargs["pk"])
            if not may_take_step(request.user, self.project, A.EDIT):
                raise PermissionDenied  # this user never edits such a đề án
            if request.method != "POST" and not can_edit_project(request.user, self.project):
                # Submitted (or further) while the list was open: say so on the đề án's page.
                messages.warning(request, moved_on_message(self.project, A.EDIT))
                return redirect("projects:detail", pk=self.project.pk)
        return super().dispatch(request, *args, **kwargs)


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
