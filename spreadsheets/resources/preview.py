"""What the preview shows of a sheet besides its counts: a sample of the values that will be saved, every
changed row with its old and new values, the columns of the file that nothing reads, and warnings on rows
that are accepted but look wrong (a district where a commune is asked for)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from import_export.results import RowResult

from khuyencong.money import format_dong

SAMPLE_ROWS = 10
MAX_CHANGES = 500
MAX_WARNINGS = 500


def display(value: Any) -> str:
    """A cleaned value as the preview prints it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int):
        return format_dong(value) if abs(value) >= 10_000 else str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(display(v) for v in value)
    full_name = getattr(value, "full_name", None)
    return str(full_name if full_name else value)


class PreviewCollecting:
    """Mixin of `PortalResource`: fills `self.preview` while rows are imported."""

    def start_preview(self, headers: list[str], known: set[str]) -> None:
        self.preview: dict[str, Any] = {
            "columns": [],
            "samples": [],
            "changes": [],
            "changed_rows": 0,
            "ignored_columns": [h for h in headers if h and h not in known],
            "warnings": [],
            "warning_count": 0,
        }
        model = self._meta.model
        fields = []
        for attribute, column, _assign in self._assigners:
            try:
                field = model._meta.get_field(attribute)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                related = field.related_model if isinstance(field, models.ForeignKey) else None
                fields.append((attribute, field.attname, column, related))
        self._preview_fields = fields
        self._before: dict[str, Any] | None = None
        self._last_instance = None
        self._related_names: dict[tuple, str] = {}
        present = set(headers)
        self.preview["columns"] = [column for _a, column, _c, _m in self._cleaners if column in present]

    def remember_before(self, instance) -> None:
        """The stored values of an existing row, before the file's values are assigned."""
        data = instance.__dict__
        self._before = {attname: data.get(attname) for _a, attname, _c, _r in self._preview_fields}

    def add_warning(self, attribute_or_column: str, message: str) -> None:
        preview = self.preview
        preview["warning_count"] += 1
        if len(preview["warnings"]) < MAX_WARNINGS:
            preview["warnings"].append(
                {
                    "row": self.excel_row(self._row_number),
                    "column": self.column_for(attribute_or_column),
                    "message": message,
                }
            )

    def _old_display(self, related, value) -> str:
        if related is None or value is None:
            return display(value)
        key = (related, value)
        if key not in self._related_names:
            self._related_names[key] = display(related._default_manager.filter(pk=value).first())
        return self._related_names[key]

    def after_import_row(self, row, row_result, **kwargs) -> None:
        kind = row_result.import_type
        preview = self.preview
        if kind == RowResult.IMPORT_TYPE_NEW and len(preview["samples"]) < SAMPLE_ROWS:
            values = self._values
            by_column = {
                column: display(values.get(attribute)) for attribute, column, _c, _m in self._cleaners
            }
            preview["samples"].append(
                {
                    "row": self.excel_row(self._row_number),
                    "status": _("Mới"),
                    "values": [by_column.get(c, "") for c in preview["columns"]],
                }
            )
        elif kind == RowResult.IMPORT_TYPE_UPDATE and self._before is not None:
            instance = self._last_instance
            changes = []
            for attribute, attname, column, related in self._preview_fields:
                old, new = self._before.get(attname), instance.__dict__.get(attname)
                if old != new:
                    changes.append(
                        {
                            "column": column,
                            "old": self._old_display(related, old),
                            "new": display(self._values.get(attribute, new)),
                        }
                    )
            if changes:
                preview["changed_rows"] += 1
                if len(preview["changes"]) < MAX_CHANGES:
                    preview["changes"].append({"row": self.excel_row(self._row_number), "changes": changes})
