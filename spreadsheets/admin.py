"""Admin: the import jobs, and the mixin that gives model admins a safe Excel import."""

from __future__ import annotations

import io

import tablib
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from .datasets import dataset_from_sheet
from .models import ImportJob
from .reading import SpreadsheetError, read_workbook


class SafeXLSX(XLSX):
    """.xlsx read through our checks (zip bomb, encryption, row limit, merged headers) instead of tablib's."""

    def create_dataset(self, in_stream) -> tablib.Dataset:
        sheets = read_workbook(io.BytesIO(in_stream))
        sheet = sheets[""]
        if sheet.merged_header_cells:
            raise SpreadsheetError(
                _("Dòng tiêu đề có ô bị gộp (%(cells)s); hãy bỏ gộp ô rồi tải lên lại.")
                % {"cells": ", ".join(sheet.merged_header_cells[:5])}
            )
        return dataset_from_sheet(sheet)


class PortalImportMixin(ImportExportMixin):
    """Excel import and export in the admin, with the staff pages' rules: all rows or none, in Vietnamese."""

    import_formats = [SafeXLSX]
    export_formats = [XLSX]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"actor": request.user}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "status", "owner", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "owner",
        "kind",
        "status",
        "file",
        "original_name",
        "report",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Jobs move only through spreadsheets.services (preview, confirm, cancel).
        return False
