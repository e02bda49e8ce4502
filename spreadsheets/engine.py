"""Run an import kind over a file: read it safely, import every sheet in one transaction, report per row.

`run_import(kind=…, source=…, actor=…, commit=False)` is the preview: the very same import, rolled back.
With `commit=True` everything is written, or nothing when any row of any sheet is rejected.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult
from openpyxl.utils import get_column_letter

from jobs import progress
from places.resolve import pinned_index

from .audit import import_actor
from .datasets import dataset_from_sheet
from .legacy_encodings import NAMES, legacy_text
from .reading import SpreadsheetError, header_key, read_workbook
from .registry import ImportSpec, spec_for


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    letter: str
    message: str


@dataclass
class SheetCounts:
    sheet: str
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    kind: str
    sheets: list[SheetCounts] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    error_count: int = 0
    # Per sheet: sample of saved values, changed rows (old → new), ignored columns, warnings.
    previews: list[dict] = field(default_factory=list)
    # Values met in a legacy encoding: {"text", "encoding", "converted"}; `converted` when they were.
    legacy: list[dict] = field(default_factory=list)
    legacy_encodings: list[str] = field(default_factory=list)
    converted: bool = False

    MAX_ERRORS = 20_000

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    @property
    def totals(self) -> SheetCounts:
        total = SheetCounts(sheet="")
        for counts in self.sheets:
            for name in ("total", "new", "updated", "unchanged", "rejected"):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        data["totals"] = asdict(self.totals)
        return data


class _Rollback(Exception):
    pass


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run rarely while a file is imported.

    An import allocates millions of short-lived objects (XML elements, cells, rows, instances) while
    hundreds of thousands stay alive until the write; with the default thresholds the collector then walks
    them all again and again, which took more time than reading the file. Reference counting still frees
    everything as it goes; the collector runs every 100.000 allocations instead of 700, and the
    thresholds come back when the last import of the process ends.
    """
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(100_000, 50, 100)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


def run_import(
    *, kind: str, source: str | IO[bytes], actor, commit: bool = False, convert_legacy: bool = False
) -> ImportReport:
    """Import `source` as `kind` for `actor`; roll back unless `commit` and every row was accepted.

    With `convert_legacy`, text typed in TCVN3 or VNI is converted to Unicode (the preview lists each
    conversion); without, it is refused with the encoding named."""
    with (
        fewer_collections(),
        pinned_index(),
        import_actor(actor),
        legacy_text(convert=convert_legacy) as log,
    ):
        report = _run_import(kind=kind, source=source, actor=actor, commit=commit)
    report.converted = convert_legacy
    report.legacy_encodings = [NAMES[e] for e in log.encodings]
    report.legacy = [
        {"text": text, "encoding": NAMES[encoding], "converted": converted}
        for text, (encoding, converted) in list(log.found.items())[:LEGACY_SHOWN]
    ]
    return report


LEGACY_SHOWN = 200


def _run_import(*, kind: str, source: str | IO[bytes], actor, commit: bool) -> ImportReport:
    spec = spec_for(kind)
    report = ImportReport(kind=kind)
    progress.report(message=_("Đang đọc tệp"), force=True)
    try:
        sheets = read_workbook(source, sheets=spec.sheet_lookup())
    except SpreadsheetError as exc:
        report.file_errors.append(str(exc))
        return report
    if spec.sheets[0].title not in sheets:
        report.file_errors.append(
            _("Không tìm thấy trang tính «%(sheet)s». Hãy dùng tệp mẫu tải về từ cổng.")
            % {"sheet": spec.sheets[0].title}
        )
        return report
    for sheet in sheets.values():
        if sheet.merged_header_cells:
            report.file_errors.append(
                _(
                    "Trang tính «%(sheet)s» có ô tiêu đề bị gộp (%(cells)s). Mỗi cột cần một ô tiêu đề riêng: "
                    "hãy bỏ gộp ô (Merge & Center) ở dòng tiêu đề."
                )
                % {"sheet": sheet.title, "cells": ", ".join(sheet.merged_header_cells[:5])}
            )
    if report.file_errors:
        return report

    progress.report(
        done=0,
        total=sum(len(sheet.rows) for sheet in sheets.values()),
        message=_("Đang kiểm tra từng dòng"),
        force=True,
    )
    try:
        with transaction.atomic():
            for sheet_spec in spec.sheets:
                sheet = sheets.get(sheet_spec.title)
                if sheet is None:
                    continue
                _import_sheet(sheet_spec, sheet, actor, report)
            if report.file_errors or report.error_count or not commit:
                raise _Rollback
            report.committed = True
    except _Rollback:
        pass
    return report


def _import_sheet(sheet_spec, sheet, actor, report: ImportReport) -> None:
    resource = sheet_spec.resource_class(actor=actor)
    resource.keep_rows = False  # the report below needs the totals and the failed rows only
    dataset = dataset_from_sheet(sheet)
    sheet.rows = []  # the dataset holds the rows now; keep one copy in memory, not two
    result = resource.import_data(
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        # Rows are kept inside this sheet's savepoint so that later sheets see them; the transaction
        # around all sheets is what rolls everything back when anything was rejected.
        rollback_on_validation_errors=False,
        user=actor,
    )
    counts = SheetCounts(sheet=sheet_spec.title, total=result.total_rows)
    counts.new = result.totals[RowResult.IMPORT_TYPE_NEW]
    counts.updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
    counts.unchanged = result.totals[RowResult.IMPORT_TYPE_SKIP]
    counts.rejected = (
        result.totals[RowResult.IMPORT_TYPE_INVALID] + result.totals[RowResult.IMPORT_TYPE_ERROR]
    )
    report.sheets.append(counts)
    if resource.preview:
        report.previews.append(
            {"sheet": sheet_spec.title, "header_row": sheet.header_row, **resource.preview}
        )

    letters = {name: get_column_letter(i) for i, name in enumerate(dataset.headers or [], start=1)}
    for error in result.base_errors:
        report.file_errors.append(
            _("Trang tính «%(sheet)s»: %(message)s") % {"sheet": sheet_spec.title, "message": error.error}
        )
    if resource.broken:
        counts.rejected = counts.total
        return  # the rows were refused only because of the file error above
    for invalid in result.invalid_rows:
        row = resource.excel_row(invalid.number)
        for column, messages in invalid.error_dict.items():
            for message in messages:
                report.add_error(
                    RowError(
                        sheet_spec.title,
                        row,
                        column if column != "__all__" else "",
                        letters.get(column, ""),
                        message,
                    )
                )
    for number, errors in result.row_errors():
        row = resource.excel_row(number)
        for error in errors:
            report.add_error(
                RowError(
                    sheet_spec.title,
                    row,
                    "",
                    "",
                    _("Lỗi khi ghi dòng này: %(error)s") % {"error": error.error},
                )
            )
    if (result.base_errors or result.has_errors()) and not counts.rejected:
        # A batch write failed: nothing of this sheet can be trusted.
        counts.rejected = counts.total


def header_keys(resource_class) -> set[str]:
    return {header_key(c.column_name) for c in resource_class.columns()}


__all__ = ["ImportReport", "RowError", "SheetCounts", "run_import", "ImportSpec"]
