"""The Ministry's pages for the national programme: its desk (tasks, national plans, the national đề án and
the report) and the national plan of a year (drafted by the Cục, approved by the Minister's decision)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.scoping import province_filter

from .forms import national as national_forms
from .models import NationalPlan, Project, ProjectStatus, WorkflowAction
from .selectors import tasks_for
from .services.national import (
    may_take_national_step,
    national_plan_approve,
    national_plan_create,
    national_plan_line_set,
)
from .templatetags.national_tags import has_ministry_desk

A = WorkflowAction


def is_ministry_desk_user(user) -> bool:
    return has_ministry_desk(user)


class NationalDeskView(LoginRequiredMixin, View):
    """The Ministry's desk: what waits on this user across the provinces, the national plans, the national
    đề án by status, and the national-programme report."""

    template_name = "projects/national_desk.html"

    def get(self, request, plan_form=None, status=200):
        if not is_ministry_desk_user(request.user):
            raise PermissionDenied
        national = Project.objects.national()
        years = sorted(set(national.values_list("year", flat=True)), reverse=True)
        by_status = {
            row["status"]: row["n"] for row in national.values("status").annotate(n=Count("id")).order_by()
        }
        context = {
            "tasks": tasks_for(request.user),
            "plans": NationalPlan.objects.visible_to(request.user).annotate(
                allocated_sum=Sum("lines__amount")
            ),
            "by_status": [
                (label, by_status[value], value)
                for value, label in ProjectStatus.choices
                if value in by_status
            ],
            "national_count": sum(by_status.values()),
            "years": years,
            "may_draft": may_take_national_step(request.user, A.NATIONAL_PLAN_EDIT),
            "plan_form": plan_form or national_forms.NationalPlanForm(),
            "plan_form_open": plan_form is not None,
        }
        return render(request, self.template_name, context, status=status)


class NationalPlanCreateView(LoginRequiredMixin, View):
    def post(self, request):
        if not may_take_national_step(request.user, A.NATIONAL_PLAN_EDIT):
            raise PermissionDenied
        form = national_forms.NationalPlanForm(request.POST)
        if form.is_valid():
            try:
                plan = national_plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã lập kế hoạch «%(name)s».") % {"name": plan.name})
                return redirect("projects:national_plan", pk=plan.pk)
        messages.error(request, _("Chưa lập được kế hoạch: xem lỗi bên dưới."))
        return NationalDeskView().get(request, plan_form=form, status=400)


class NationalPlanDetailView(LoginRequiredMixin, View):
    """The plan with its money by province, implementing unit and content; the Cục adds lines, the
    leadership records the Minister's decision."""

    template_name = "projects/national_plan_detail.html"

    def get(self, request, pk, line_form=None, approve_form=None, status=200):
        plan = get_object_or_404(NationalPlan.objects.visible_to(request.user), pk=pk)
        # A province sees its own share of the plan; the Ministry sees it whole.
        lines = list(
            plan.lines.filter(province_filter(request.user, "project__province")).select_related(
                "project__province", "project__implementing_agency", "content"
            )
        )
        allocated = sum(line.amount for line in lines)
        by_province: dict[str, int] = {}
        for line in lines:
            by_province[line.project.province.name] = (
                by_province.get(line.project.province.name, 0) + line.amount
            )
        draft = plan.status == NationalPlan.Status.DRAFT
        may_edit = draft and may_take_national_step(request.user, A.NATIONAL_PLAN_EDIT)
        may_approve = draft and may_take_national_step(request.user, A.NATIONAL_APPROVE)
        context = {
            "plan": plan,
            "lines": lines,
            "allocated": allocated,
            "remaining": plan.total - allocated,
            "by_province": sorted(by_province.items()),
            "line_form": line_form or (national_forms.NationalPlanLineForm(plan=plan) if may_edit else None),
            "approve_form": approve_form
            or (national_forms.NationalPlanApproveForm() if may_approve else None),
        }
        return render(request, self.template_name, context, status=status)


class NationalPlanLineView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = get_object_or_404(NationalPlan.objects.visible_to(request.user), pk=pk)
        if not may_take_national_step(request.user, A.NATIONAL_PLAN_EDIT):
            raise PermissionDenied
        form = national_forms.NationalPlanLineForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                national_plan_line_set(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã ghi kinh phí cho đề án vào kế hoạch."))
                return redirect("projects:national_plan", pk=plan.pk)
        messages.error(request, _("Chưa ghi được: xem lỗi bên dưới."))
        return NationalPlanDetailView().get(request, pk=plan.pk, line_form=form, status=400)


class NationalPlanApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = get_object_or_404(NationalPlan.objects.visible_to(request.user), pk=pk)
        if not may_take_national_step(request.user, A.NATIONAL_APPROVE):
            raise PermissionDenied
        form = national_forms.NationalPlanApproveForm(request.POST)
        if form.is_valid():
            try:
                national_plan_approve(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã ghi nhận quyết định phê duyệt kế hoạch «%(name)s»; các đề án trong kế hoạch đã được phê duyệt."
                    )
                    % {"name": plan.name},
                )
                return redirect("projects:national_plan", pk=plan.pk)
        messages.error(request, _("Chưa phê duyệt được: xem lỗi bên dưới."))
        return NationalPlanDetailView().get(request, pk=plan.pk, approve_form=form, status=400)
