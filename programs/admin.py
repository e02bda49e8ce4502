from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from khuyencong.money import format_dong
from spreadsheets.admin import PortalImportMixin
from spreadsheets.resources.programs import HistoricOutputResource, ProgrammeTargetResource

from .models import (
    ActivityContent,
    Agency,
    AnnualPlan,
    FundingSource,
    HistoricOutput,
    Indicator,
    PlanAllocation,
    Programme,
    ProgrammeBudget,
    ProgrammeTarget,
    SolutionGroup,
    SupportCap,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["province"]


@admin.register(ActivityContent)
class ActivityContentAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "name"]
    search_fields = ["name", "short_name"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_state_budget", "is_counterpart", "order"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "content", "code"]
    list_filter = ["content"]
    search_fields = ["name", "code"]


@admin.register(SupportCap)
class SupportCapAdmin(admin.ModelAdmin):
    list_display = [
        "item",
        "content",
        "category",
        "scope",
        "province",
        "percent_of_cost",
        "ceiling_display",
        "legal_basis",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["category", "scope", "content"]
    search_fields = ["item", "legal_basis"]
    autocomplete_fields = ["province"]

    @admin.display(description=_("mức trần (đồng)"), ordering="ceiling")
    def ceiling_display(self, obj):
        return format_dong(obj.ceiling)


class ProgrammeBudgetInline(admin.TabularInline):
    model = ProgrammeBudget
    extra = 0


class ProgrammeTargetInline(admin.TabularInline):
    model = ProgrammeTarget
    extra = 0
    autocomplete_fields = ["indicator"]


class SolutionGroupInline(admin.StackedInline):
    model = SolutionGroup
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "province", "start_year", "end_year", "total_display", "is_demo"]
    list_filter = ["level", "is_demo", "start_year"]
    search_fields = ["name", "code", "decision_number"]
    autocomplete_fields = ["province", "owner"]
    inlines = [ProgrammeBudgetInline, ProgrammeTargetInline, SolutionGroupInline]
    readonly_fields = ["budget_by_source"]

    @admin.display(description=_("tổng kinh phí (đồng)"), ordering="total_budget")
    def total_display(self, obj):
        return format_dong(obj.total_budget)

    @admin.display(description=_("kinh phí theo nguồn"))
    def budget_by_source(self, obj):
        rows = obj.budgets.select_related("source").order_by("source__order")
        parts = [f"{b.source.short_name}: {format_dong(b.amount)}" for b in rows]
        total = sum(b.amount for b in rows)
        return "; ".join(parts + [f"Cộng: {format_dong(total)}"]) if parts else "—"


class PlanAllocationInline(admin.TabularInline):
    """Edited here (no staff page does): PlanAllocation.clean keeps it at or above what approved đề án
    hold; a line is set to what is left rather than deleted."""

    model = PlanAllocation
    extra = 0
    can_delete = False


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "year",
        "kind",
        "province",
        "allocated_display",
        "declared_project_count",
        "is_demo",
    ]
    list_filter = ["year", "kind", "is_demo"]
    search_fields = ["name", "decision_number"]
    autocomplete_fields = ["province", "programme", "agency"]
    inlines = [PlanAllocationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("province")
            .annotate(allocated=Sum("allocations__amount"))
        )

    @admin.display(description=_("kinh phí được giao (đồng)"), ordering="allocated")
    def allocated_display(self, obj):
        return format_dong(obj.allocated)


@admin.register(HistoricOutput)
class HistoricOutputAdmin(PortalImportMixin, admin.ModelAdmin):
    resource_classes = [HistoricOutputResource]
    list_display = ["description", "province", "indicator", "qualifier", "value", "start_year", "end_year"]
    list_filter = ["indicator"]
    search_fields = ["description"]
    autocomplete_fields = ["province", "indicator"]


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(PortalImportMixin, admin.ModelAdmin):
    """Targets are edited inline in their programme; this page exists for Excel import and export."""

    resource_classes = [ProgrammeTargetResource]
    list_display = ["description", "programme", "indicator", "min_value", "max_value", "unit"]
    list_filter = ["programme"]
    search_fields = ["description"]
    autocomplete_fields = ["programme", "indicator"]
