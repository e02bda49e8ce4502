"""Staff pages of programmes and annual plans: lists, the programme page, the plan page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from khuyencong.listing import Column, FilteredListView, SortOption, child_sum

from .filters import AnnualPlanFilter, ProgrammeFilter
from .models import AnnualPlan, PlanAllocation, Programme
from .selectors import (
    plan_budget_by_source,
    programme_budget_by_year,
    programme_plans,
    programme_targets_progress,
)


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
        from projects.models import Project

        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        context.update(
            targets=programme_targets_progress(programme, user),
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
        from projects.models import Project
        from projects.views import budget_sum

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
