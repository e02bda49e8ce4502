"""The report workbook writer (openpyxl, streaming write-only mode for every sheet).

A sheet per section, laid out like the paper forms: merged title rows, a header row frozen and repeated
on printed pages, đồng as "#,##0", widths fitted to the content, A4 fit to width, and totals written as
=SUM formulas over the rows above them, so the workbook stays right when someone edits a figure. Every
value goes through `khuyencong.workbooks`, so text a person typed is stored as text, never as a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from khuyencong.money import amount_in_words
from khuyencong.workbooks import Formula, assign, text_cell

from ..periods import Period

MONEY = "#,##0"
COUNT = "#,##0"
SHARE = "0.0"
PAPERSIZE_A4 = 9
FONT_NAME = "Times New Roman"
SAMPLE_ROWS_FOR_WIDTH = 500
_INVALID_TITLE_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | stt | year | int | money | share
    total: bool = False
    width: float | None = None

    @property
    def number_format(self) -> str | None:
        return {"money": MONEY, "int": COUNT, "share": SHARE}.get(self.kind)


def sheet_title(text: str) -> str:
    """Sheet titles: at most 31 characters and none of []:*?/\\ (Excel refuses the file otherwise)."""
    return " ".join(text.translate(_INVALID_TITLE_CHARS).split())[:31]


def _display_len(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value).split("\n")), default=0)


def _lines(value, width: float) -> int:
    if value is None or isinstance(value, int | float):
        return 1
    usable = max(1.0, width - 1)
    return sum(max(1, math.ceil(len(line) * 1.08 / usable)) for line in str(value).split("\n"))


def _height(values: Sequence, widths: Sequence[float], wrapped: Sequence[bool]) -> float | None:
    """Row height for wrapped text (write-only files carry no auto height, and LibreOffice keeps it)."""
    lines = max((_lines(v, w) for v, w, wrap in zip(values, widths, wrapped, strict=True) if wrap), default=1)
    return 15.0 * lines + 2 if lines > 1 else None


class WorkbookWriter:
    """Builds a workbook sheet by sheet, streaming rows (keeps its own row counter: no ws.max_row)."""

    def __init__(self, *, issuer: str, title: str, scope: str) -> None:
        self.wb = Workbook(write_only=True)
        self.issuer = issuer
        self.title = title
        self.scope = scope
        self.totals: dict[str, dict[str, str]] = {}  # sheet -> column header -> total cell ("C12")
        self._styles: dict[tuple, object] = {}  # cell style -> its registered StyleArray

    # -- cells
    def _cell(
        self,
        ws,
        value,
        *,
        bold=False,
        italic=False,
        size=11,
        fmt=None,
        align=None,
        wrap=False,
        border=False,
        fill=None,
    ):
        cell = text_cell(ws, value)
        key = (bold, italic, size, fmt, align, wrap, border, id(fill) if fill else None)
        style = self._styles.get(key)
        if style is not None:
            # openpyxl registers a style by hashing every Font/Alignment assigned (about 0,3 ms a cell);
            # a cell styled like an earlier one takes that cell's registered style indexes instead.
            cell._style = copy(style)
            return cell
        cell.font = Font(name=FONT_NAME, bold=bold, italic=italic, size=size)
        if fmt:
            cell.number_format = fmt
        if align or wrap:
            cell.alignment = Alignment(
                horizontal=align, vertical="top" if not align == "center" else "center", wrap_text=wrap
            )
        if border:
            cell.border = _BORDER
        if fill:
            cell.fill = fill
        self._styles[key] = copy(cell._style)
        return cell

    def table(
        self,
        name: str,
        heading: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence],
        *,
        total_label: str | None = None,
        total_texts: dict[str, str] | None = None,
        notes: Sequence[str] = (),
        words_for: str | None = None,
        landscape: bool = False,
        sample: Sequence[Sequence] | None = None,
    ) -> None:
        """One section as one sheet: merged title rows, a frozen header, data rows, a =SUM total row.

        `total_texts` puts text in the total row under the named columns (e.g. "trên" in the column that
        says how each figure was stated, beside a total that adds up a figure stated as "trên …")."""
        title = sheet_title(name)
        ws = self.wb.create_sheet(title=title)
        n = len(columns)
        last = get_column_letter(n)
        sample_rows = (
            sample if sample is not None else (rows[:SAMPLE_ROWS_FOR_WIDTH] if isinstance(rows, list) else [])
        )
        # Widths are fixed before the first row is streamed.
        widths: list[float] = []
        for i, col in enumerate(columns, start=1):
            if col.width:
                width = col.width
            else:
                longest = max([_display_len(r[i - 1]) for r in sample_rows] + [8])
                header_len = max(len(w) for w in col.header.split()) + 2
                width = min(60, max(longest + 2, header_len, 6 if col.kind == "stt" else 10))
            ws.column_dimensions[get_column_letter(i)].width = width
            widths.append(width)
        wrapped = [c.kind == "text" for c in columns]
        ws.freeze_panes = "A6"
        ws.print_title_rows = "5:5"
        ws.page_setup.paperSize = PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = _("Trang &P/&N")

        for r, (text, style) in enumerate(
            [
                (self.issuer, {"bold": True}),
                (self.title.upper(), {"bold": True, "size": 13}),
                (self.scope, {"italic": True}),
                (heading, {"bold": True}),
            ],
            start=1,
        ):
            ws.append([self._cell(ws, text, align="center", **style)])
            if n > 1:
                ws.merged_cells.add(f"A{r}:{last}{r}")
        header = [
            self._cell(ws, c.header, bold=True, align="center", wrap=True, border=True, fill=_HEADER_FILL)
            for c in columns
        ]
        ws.row_dimensions[5].height = _height([c.header for c in columns], widths, [True] * n)
        ws.append(header)
        first_data = 6
        row_no = first_data - 1
        # One styled cell per column, refilled for every row: a write-only sheet writes each row out as it is
        # appended, so the same cells serve the next row (no new cell and style copy for each of 340.000
        # cells of a national list).
        cells = [
            self._cell(
                ws,
                None,
                fmt=col.number_format,
                align="center" if col.kind in ("stt", "year") else ("right" if col.number_format else None),
                wrap=col.kind == "text",
                border=True,
            )
            for col in columns
        ]
        for row in rows:
            row_no += 1
            height = _height(row, widths, wrapped)
            if height:
                ws.row_dimensions[row_no].height = height
            for cell, value in zip(cells, row, strict=True):
                assign(cell, value)
            ws.append(cells)
        last_data = row_no
        totals: dict[str, str] = {}
        if total_label is not None:
            label_column = next(
                i for i, c in enumerate(columns, start=1) if c.kind not in ("stt",) and not c.total
            )
            row_no += 1
            cells = []
            for i, col in enumerate(columns, start=1):
                letter = get_column_letter(i)
                if i == label_column:
                    value = total_label
                elif col.total:
                    value = (
                        Formula(f"=SUM({letter}{first_data}:{letter}{last_data})")
                        if last_data >= first_data
                        else 0
                    )
                    totals[col.header] = f"{letter}{row_no}"
                else:
                    value = (total_texts or {}).get(col.header) or None
                cells.append(
                    self._cell(
                        ws,
                        value,
                        bold=True,
                        fmt=col.number_format,
                        align="right" if col.number_format else None,
                        border=True,
                    )
                )
            ws.append(cells)
        self.totals[title] = totals
        for note in notes:
            row_no += 1
            ws.append([self._cell(ws, note, italic=True, size=10)])
            if n > 1:
                ws.merged_cells.add(f"A{row_no}:{last}{row_no}")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()

    def save_to(self, path) -> None:
        """Write the workbook to a file (a large one never sits in memory as one bytes object)."""
        self.wb.save(path)


def _words(label: str, amount: int, *, prefix: str = "") -> str:
    return f"{label} {amount_in_words(amount, prefix=prefix)}."


def _period_scope(period: Period, place: str) -> str:
    return _("Kỳ báo cáo: %(period)s — %(place)s — đơn vị tính: đồng") % {
        "period": period.label,
        "place": place,
    }


def _status_table(w, report, stt, heading: str) -> None:
    """Đề án by status: the same section in the annual and the national workbook."""
    w.table(
        _("Trạng thái"),
        heading,
        [
            stt,
            Column(_("Trạng thái")),
            Column(_("Số đề án"), "int", total=True),
            Column(_("Dự toán (đồng)"), "money", total=True),
        ],
        [[i, r.label, r.count, r.planned] for i, r in enumerate(report.by_status, start=1)],
        total_label=_("Tổng cộng"),
    )
