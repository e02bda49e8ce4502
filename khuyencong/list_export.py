"""Safe exports of any list to .xlsx or .csv.

Every list page calls `export_response` with the headers and rows it shows. In a workbook every text value
is a text-typed cell (`khuyencong.workbooks`), so "=HYPERLINK(…)" reads back as typed and never runs. A CSV
file has no cell types: there, text a spreadsheet program would read as a formula (starting with =, +, -, @,
a tab or a carriage return) is neutralised with a leading apostrophe (CSV/formula injection).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from khuyencong.workbooks import cell_value, text_cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

__all__ = ["append_sheet", "export_response", "neutralise", "safe_sheet_title", "write_csv", "write_xlsx"]


def neutralise(value: Any) -> Any:
    """A CSV value that cannot run as a formula: text starting with a trigger gets a leading apostrophe.

    Numbers, dates and booleans pass through unchanged (a negative number is a number, not a formula).
    """
    if value is None or isinstance(value, bool | int | float | decimal.Decimal | datetime.date):
        return value
    text = cell_value(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_sheet_title(title: str | None, default: str = "Danh sách") -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title or default)).strip().strip("'")
    return (cleaned or default)[:31]


def write_xlsx(
    headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str | None = None, stream=None
):
    """Write a one-sheet workbook in write-only mode (memory stays flat for big lists) to `stream`."""
    stream = stream if stream is not None else io.BytesIO()
    workbook = Workbook(write_only=True)
    append_sheet(workbook, headers, rows, title=title)
    workbook.save(stream)
    return stream


def append_sheet(workbook: Workbook, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title=None):
    """Add a sheet with a bold header row to a write-only workbook; text is stored as text, never a formula."""
    sheet = workbook.create_sheet(safe_sheet_title(title))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F3")
    widths = [max(10, min(50, len(force_str(h)) + 2)) for h in headers]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = text_cell(sheet, header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    money_format = "#,##0"
    for row in rows:
        out = []
        for value in row:
            cell = text_cell(sheet, value)
            value = cell.value
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
                cell.number_format = money_format
            elif isinstance(value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
            out.append(cell)
        sheet.append(out)
    return sheet


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_text(value: Any) -> str:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV lines, the first starting with a UTF-8 byte-order mark so Excel reads Vietnamese correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def _content_disposition(filename: str, extension: str) -> str:
    from urllib.parse import quote

    base = force_str(filename)
    if base.lower().endswith("." + extension):
        base = base[: -len(extension) - 1]
    ascii_name = slugify(base) or "danh-sach"
    full = f"{base}.{extension}"
    return f"attachment; filename=\"{ascii_name}.{extension}\"; filename*=UTF-8''{quote(full)}"


def export_response(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    filename: str,
    fmt: str = "xlsx",
    title: str | None = None,
) -> HttpResponse:
    """The list as a download: `fmt` "xlsx" (write-only workbook) or "csv" (UTF-8 with BOM, streamed).

    `rows` may be a generator or a queryset iterator; it is read once. Text never becomes a formula.
    """
    fmt = (fmt or "xlsx").lower()
    if fmt == "csv":
        # A plain response (not streamed) so callers and tests can read `.content` like any other.
        response = HttpResponse(
            "".join(write_csv(headers, rows)).encode("utf-8"), content_type=CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = _content_disposition(filename, "csv")
        return response
    if fmt != "xlsx":
        raise ValueError(f"Unknown export format: {fmt!r}")
    buffer = write_xlsx(headers, rows, title=title or filename)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _content_disposition(filename, "xlsx")
    return response
