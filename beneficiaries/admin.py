from django.contrib import admin

from spreadsheets.admin import PortalImportMixin
from spreadsheets.resources.beneficiaries import BeneficiaryResource

from .models import Beneficiary, BeneficiaryKind, Certification


@admin.register(BeneficiaryKind)
class BeneficiaryKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "tax_code_required", "order"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Beneficiary)
class BeneficiaryAdmin(PortalImportMixin, admin.ModelAdmin):
    resource_classes = [BeneficiaryResource]
    list_display = [
        "name",
        "kind",
        "tax_code",
        "province",
        "unit_at_time",
        "women_owned",
        "ethnic_minority",
        "is_demo",
    ]
    list_filter = ["kind", "women_owned", "ethnic_minority", "is_demo"]
    search_fields = ["name", "tax_code", "search_text"]
    autocomplete_fields = ["unit_at_time", "current_unit", "province"]
    list_select_related = ["kind", "province", "unit_at_time"]
    inlines = [CertificationInline]

    def get_readonly_fields(self, request, obj=None):
        # The province decides who sees and edits the establishment: chosen when it is recorded, never
        # moved afterwards (its đề án and tax code belong to that province's books).
        return ["province"] if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        """Accent-insensitive: "dan day nhua" finds "Đan dây nhựa"."""
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False
