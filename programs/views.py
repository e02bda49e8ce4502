"""Staff pages of programmes and annual plans: lists, the programme page, the plan page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from khuyencong.listing import Column, FilteredListView, SortOption, child_sum
from projects.models import Project
from projects.programme_progress import (
    budget_sum,
    plan_budget_by_source,
    programme_budget_by_year,
    programme_targets_progress,
)

from .filters import AnnualPlanFilter, ProgrammeFilter
from .forms import TargetAchievedForm
from .models import AnnualPlan, PlanAllocation, Programme, ProgrammeTarget
from .selectors import programme_plans
from .services import can_record_target, target_record_achieved


def _allocated_sum():
    return child_sum(PlanAllocation.objects.all(), "plan_id")


class ProgrammeListView(FilteredListView):
    template_name = "programs/programme_list.html"
    filterset_class = ProgrammeFilter
    sort_options = {
        "-start": SortOption(_("Giai đoạn (mới nhất trước)"), ("-start_year", "name")),
        "start": SortOption(_("Giai đoạn (cũ nhất trước)"), ("start_year", "name")),
        "name": SortOption(_("Tên chương trình"), ("name",)),
        "-budget": SortOption(_("Tổng kinh phí (lớn nhất trước)"), ("-total_budget", "name")),
    }
    default_sort = "-start"
    export_filename = "chuong-trinh-khuyen-cong"
    export_title = _("Chương trình khuyến công")
    export_columns = (
        Column(_("Tên chương trình"), lambda p: p.name),
        Column(_("Cấp"), lambda p: p.get_level_display()),
        Column(_("Tỉnh/thành phố"), lambda p: p.province.full_name if p.province else ""),
        Column(_("Từ năm"), lambda p: p.start_year),
        Column(_("Đến năm"), lambda p: p.end_year),
        Column(_("Số quyết định"), lambda p: p.decision_number),
        Column(_("Tổng kinh phí (đồng)"), lambda p: p.total_budget),
        Column(_("Số kế hoạch năm"), lambda p: p.plan_count),
    )

    def base_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("province")
            .annotate(plan_count=Count("plans", distinct=True))
        )


class ProgrammeDetailView(LoginRequiredMixin, DetailView):
    template_name = "programs/programme_detail.html"

    def get_queryset(self):
        return Programme.objects.visible_to(self.request.user).select_related("province", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        targets = programme_targets_progress(programme, user)
        for t in targets:
            t.form = (
                TargetAchievedForm(
                    prefix=f"t{t.target.pk}",
                    initial={"achieved": t.target.achieved_by_hand, "note": t.target.achieved_note},
                )
                if t.target.tracked_by_hand and can_record_target(user, t.target)
                else None
            )
        context.update(
            targets=targets,
            budget_grid=programme_budget_by_year(programme, user),
            declared_budgets=programme.budgets.select_related("source"),
            solution_groups=programme.solution_groups.all(),
            project_count=Project.objects.visible_to(user)
            .filter(plan__in=programme_plans(programme))
            .count(),
            plans=AnnualPlan.objects.visible_to(user)
            .filter(pk__in=programme_plans(programme))
            .select_related("province")
            .annotate(allocated=_allocated_sum(), project_count=Count("projects", distinct=True))
            .order_by("-year", "kind"),
        )
        return context


class AnnualPlanListView(FilteredListView):
    template_name = "programs/annualplan_list.html"
    filterset_class = AnnualPlanFilter
    sort_options = {
        "-year": SortOption(_("Năm (mới nhất trước)"), ("-year", "kind")),
        "year": SortOption(_("Năm (cũ nhất trước)"), ("year", "kind")),
        "name": SortOption(_("Tên kế hoạch"), ("name",)),
        "-allocated": SortOption(_("Kinh phí được giao (lớn nhất trước)"), ("-allocated", "-year")),
    }
    default_sort = "-year"
    export_filename = "ke-hoach-khuyen-cong"
    export_title = _("Kế hoạch khuyến công năm")
    export_columns = (
        Column(_("Năm"), lambda p: p.year),
        Column(_("Tên kế hoạch"), lambda p: p.name),
        Column(_("Loại"), lambda p: p.get_kind_display()),
        Column(_("Tỉnh/thành phố"), lambda p: str(p.province)),
        Column(_("Chương trình"), lambda p: p.programme.name if p.programme else ""),
        Column(_("Số quyết định"), lambda p: p.decision_number),
        Column(_("Kinh phí được giao (đồng)"), lambda p: p.allocated),
        Column(_("Số đề án đã nhập"), lambda p: p.project_count),
    )

    def base_queryset(self):
        return (
            AnnualPlan.objects.visible_to(self.request.user)
            .select_related("province", "programme")
            .annotate(allocated=_allocated_sum(), project_count=Count("projects", distinct=True))
        )


class AnnualPlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "programs/annualplan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return AnnualPlan.objects.visible_to(self.request.user).select_related(
            "province", "programme", "agency"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        context.update(
            money=plan_budget_by_source(plan, user),
            projects=Project.objects.visible_to(user)
            .filter(plan=plan)
            .prefetch_related("contents")
            .annotate(total=budget_sum())
            .order_by("code"),
        )
        return context


class TargetAchievedView(LoginRequiredMixin, View):
    """Staff enter the achieved figure of a target tracked by hand (audited); another province's target
    answers 404."""

    http_method_names = ["post"]

    def post(self, request, pk):
        target = get_object_or_404(
            ProgrammeTarget.objects.select_related("programme__province").filter(
                programme__in=Programme.objects.visible_to(request.user)
            ),
            pk=pk,
        )
        if not can_record_target(request.user, target):
            raise PermissionDenied
        form = TargetAchievedForm(request.POST, prefix=f"t{target.pk}")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                target_record_achieved(
                    actor=request.user,
                    target=target,
                    achieved=form.cleaned_data["achieved"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Đã cập nhật kết quả chỉ tiêu."))
        return redirect(reverse("programs:detail", kwargs={"pk": target.programme_id}) + "#h-targets")
