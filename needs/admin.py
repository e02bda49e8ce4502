"""Needs are read here by the system administrator; every answer goes through the staff pages' services."""

from django.contrib import admin

from .models import Need, NeedTransition


class NeedTransitionInline(admin.TabularInline):
    model = NeedTransition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_status", "to_status", "comment", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["receipt_code", "name", "province", "content", "status", "created_at"]
    list_filter = ["status", "content"]
    search_fields = ["receipt_code", "name", "tax_code"]
    inlines = [NeedTransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
