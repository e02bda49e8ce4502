from django.contrib import admin
from django.db.models import Sum
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from khuyencong.money import format_dong

from .models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "source", "content", "expense_item", "amount"]


class ProjectBeneficiaryInline(admin.TabularInline):
    model = ProjectBeneficiary
    extra = 0
    autocomplete_fields = ["beneficiary"]


class ProjectOutputInline(admin.TabularInline):
    model = ProjectOutput
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "kind", "status", "total_display", "is_demo"]
    list_filter = ["status", "kind", "plan__year", "contents", "is_demo"]
    search_fields = ["code", "title", "search_text"]
    autocomplete_fields = ["plan", "implementing_agency", "sites"]
    filter_horizontal = ["contents"]
    readonly_fields = ["status", "province", "totals_by_source", "created_at", "updated_at"]
    list_select_related = ["plan"]
    inlines = [BudgetLineInline, ProjectBeneficiaryInline, ProjectOutputInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Sum("budget_lines__amount"))

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description=_("tổng dự toán (đồng)"), ordering="total")
    def total_display(self, obj):
        return format_dong(obj.total)

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
