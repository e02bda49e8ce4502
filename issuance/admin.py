"""Issued reports in the admin: read-only. Issuing and signing go through the services (the pages and
build_report); nothing issued is edited or deleted here."""

from django.contrib import admin

from .models import IssuedReport, RegisterCounter, SignedCopy


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedReport)
class IssuedReportAdmin(ReadOnlyAdmin):
    list_display = ["number_text", "issued_on", "title", "agency_name", "signer_name"]
    list_filter = ["year", "kind", "agency_name"]
    search_fields = ["title", "verify_code", "sha256"]
    exclude = ["pdf", "xlsx"]


@admin.register(SignedCopy)
class SignedCopyAdmin(ReadOnlyAdmin):
    list_display = ["issued", "kind", "added_at", "added_by"]
    exclude = ["pdf"]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdmin):
    list_display = ["agency_key", "year", "last_number"]
