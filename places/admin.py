from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit
from .naming import fold_name
from .resolve import clear_place_index


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("full_name", "code", "kind", "level", "era", "province", "current_province", "valid_to")
    list_filter = ("era", "level", "kind")
    list_select_related = ("province", "current_province")
    # Also what `autocomplete_fields` in other admins search on.
    search_fields = ("code", "name", "name_folded")
    ordering = ("-era", "level", "code")
    autocomplete_fields = ("parent", "province", "current_province", "successors")
    readonly_fields = ("name_folded", "successor_list", "predecessor_list")
    fieldsets = (
        (None, {"fields": ("code", "name", "full_name", "name_folded", "kind", "level", "era")}),
        (_("Hiệu lực"), {"fields": ("valid_from", "valid_to")}),
        (_("Quan hệ"), {"fields": ("parent", "province", "current_province")}),
        (_("Kế thừa"), {"fields": ("successor_list", "predecessor_list", "successors")}),
    )

    def get_search_results(self, request, queryset, search_term):
        """Fold the term too, so "Phong Điền" and "phong dien" find the same units."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold_name(search_term)
        if folded:
            results = results | queryset.filter(name_folded__icontains=folded)
        return results, may_have_duplicates

    @admin.display(description=_("đơn vị kế thừa"))
    def successor_list(self, obj: AdministrativeUnit):
        return self._unit_list(obj.successors.select_related("province")) if obj.pk else "-"

    @admin.display(description=_("đơn vị tiền thân"))
    def predecessor_list(self, obj: AdministrativeUnit):
        return self._unit_list(obj.predecessors.select_related("province")) if obj.pk else "-"

    @staticmethod
    def _unit_list(units):
        rows = [(unit.code, str(unit), str(unit.province) if unit.province_id else "") for unit in units]
        if not rows:
            return "-"
        return format_html_join("", "<div>{} · {} <small>({})</small></div>", rows)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(clear_place_index)
