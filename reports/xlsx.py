"""Excel workbooks of the reports (openpyxl, streaming write-only mode for every sheet).

A sheet per section, laid out like the paper forms: merged title rows, a header row frozen and repeated
on printed pages, đồng as "#,##0", widths fitted to the content, A4 fit to width, and totals written as
=SUM formulas over the rows above them, so the workbook stays right when someone edits a figure.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from khuyencong.money import amount_in_words, format_dong

from .periods import Period

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
        cell = WriteOnlyCell(ws, value=value)
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
        notes: Sequence[str] = (),
        words_for: str | None = None,
        landscape: bool = False,
        sample: Sequence[Sequence] | None = None,
    ) -> None:
        """One section as one sheet: merged title rows, a frozen header, data rows, a =SUM total row."""
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
        for row in rows:
            row_no += 1
            height = _height(row, widths, wrapped)
            if height:
                ws.row_dimensions[row_no].height = height
            cells = []
            for col, value in zip(columns, row, strict=True):
                align = "center" if col.kind in ("stt", "year") else ("right" if col.number_format else None)
                cells.append(
                    self._cell(
                        ws, value, fmt=col.number_format, align=align, wrap=col.kind == "text", border=True
                    )
                )
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
                        f"=SUM({letter}{first_data}:{letter}{last_data})" if last_data >= first_data else 0
                    )
                    totals[col.header] = f"{letter}{row_no}"
                else:
                    value = None
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


def _words(label: str, amount: int) -> str:
    return f"{label} {amount_in_words(amount)}."


# ---------------------------------------------------------------------------------------------------------
# The workbooks


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


def annual_xlsx(report, *, issuer: str) -> bytes:
    period = report.period
    w = WorkbookWriter(
        issuer=issuer,
        title=_("Báo cáo kết quả thực hiện kế hoạch khuyến công %(period)s") % {"period": period.label},
        scope=_period_scope(period, report.province.full_name),
    )
    stt = Column(_("STT"), "stt", width=6)
    w.table(
        _("Kế hoạch"),
        _("I. Kế hoạch đã được phê duyệt"),
        [
            stt,
            Column(_("Kế hoạch")),
            Column(_("Loại")),
            Column(_("Quyết định")),
            Column(_("Số đề án theo kế hoạch"), "int"),
            Column(_("Số đề án đã nhập"), "int", total=True),
            Column(_("Cách nêu tổng kinh phí")),
            Column(_("Tổng kinh phí theo kế hoạch"), "money"),
            Column(_("Kinh phí được giao"), "money", total=True),
            Column(_("Nguồn số liệu"), width=40),
        ],
        [
            [
                i,
                p.name,
                p.kind_label,
                p.decision,
                p.declared_project_count,
                p.entered_project_count,
                p.declared_total_prefix,
                p.declared_total,
                sum(a.amount for a in p.allocations),
                p.source_note,
            ]
            for i, p in enumerate(report.declared_plans, start=1)
        ],
        total_label=_("Tổng cộng"),
        landscape=True,
    )
    _status_table(w, report, stt, _("II. Đề án theo trạng thái"))
    t = report.source_totals
    source_cols = [
        stt,
        Column(_("Nguồn kinh phí"), width=45),
        Column(_("Dự toán đề án"), "money", total=True),
        Column(_("Cách nêu số được giao")),
        Column(_("Được giao theo kế hoạch"), "money", total=True),
        Column(_("Tạm ứng"), "money", total=True),
        Column(_("Giải ngân"), "money", total=True),
    ]
    if not period.is_whole_year:
        source_cols.append(Column(_("Giải ngân trong kỳ"), "money", total=True))
    source_cols.append(Column(_("Quyết toán"), "money", total=True))
    w.table(
        _("Nguồn kinh phí"),
        _("III. Kinh phí theo nguồn"),
        source_cols,
        [
            [
                i,
                r.name,
                r.planned,
                r.allocated_prefix if r.allocated else "",
                r.allocated,
                r.advanced,
                r.disbursed,
                *([r.disbursed_in_period] if not period.is_whole_year else []),
                r.settled,
            ]
            for i, r in enumerate(report.by_source, start=1)
        ],
        total_label=_("Tổng cộng"),
        notes=[
            _words(_("Tổng dự toán bằng chữ:"), t.planned),
            _words(_("Tổng kinh phí được giao bằng chữ:"), t.allocated),
            _("Vốn đối ứng các cơ sở thụ hưởng đã cam kết huy động: %(amount)s đồng (%(n)s cơ sở).")
            % {
                "amount": format_dong(report.counterpart.committed),
                "n": report.counterpart.beneficiaries,
            },
        ],
        landscape=True,
    )
    w.table(
        _("Nội dung"),
        _("IV. Theo nội dung hoạt động khuyến công"),
        [
            stt,
            Column(_("Nội dung (Điều 4 Nghị định 45/2012/NĐ-CP)"), width=60),
            Column(_("Số đề án"), "int"),
            Column(_("Dự toán (đồng)"), "money", total=True),
        ],
        [[r.number, r.name, r.projects, r.planned] for r in report.by_content],
        total_label=_("Tổng cộng"),
        notes=[_("Một đề án thực hiện nhiều nội dung được đếm ở mỗi nội dung.")],
    )
    w.table(
        _("Địa bàn"),
        _("V. Theo địa bàn thực hiện"),
        [
            stt,
            Column(_("Tỉnh, thành phố hiện nay")),
            Column(_("Địa bàn lúc thực hiện"), width=40),
            Column(_("Xã, thị trấn lúc thực hiện"), width=40),
            Column(_("Số đề án"), "int"),
            Column(_("Dự toán các đề án (đồng)"), "money"),
        ],
        [
            [
                i,
                r.today_province,
                r.unit_name + (_(" (trước 01/7/2025)") if r.unit_is_old else ""),
                ", ".join(r.communes),
                r.projects,
                r.planned,
            ]
            for i, r in enumerate(report.by_place, start=1)
        ],
        notes=[_("Đề án thực hiện ở nhiều địa bàn được tính ở mỗi địa bàn, nên không cộng dồn.")],
        landscape=True,
    )
    w.table(
        _("Loại hình cơ sở"),
        _("VI. Theo loại hình cơ sở thụ hưởng"),
        [
            stt,
            Column(_("Loại hình")),
            Column(_("Số cơ sở"), "int", total=True),
            Column(_("Số đề án"), "int"),
            Column(_("Do phụ nữ làm chủ"), "int", total=True),
            Column(_("Dân tộc thiểu số"), "int", total=True),
            Column(_("Kinh phí hỗ trợ (đồng)"), "money", total=True),
            Column(_("Vốn đối ứng (đồng)"), "money", total=True),
        ],
        [
            [
                i,
                r.name,
                r.beneficiaries,
                r.projects,
                r.women_owned,
                r.ethnic_minority,
                r.support,
                r.counterpart,
            ]
            for i, r in enumerate(report.by_beneficiary_kind, start=1)
        ],
        total_label=_("Tổng cộng"),
        landscape=True,
    )
    if report.certified:
        w.table(
            _("Chứng nhận sản phẩm"),
            _("Cơ sở có sản phẩm được chứng nhận còn hiệu lực cuối kỳ"),
            [stt, Column(_("Chứng nhận"), width=40), Column(_("Số cơ sở"), "int")],
            [[i, r.label, r.beneficiaries] for i, r in enumerate(report.certified, start=1)],
        )
    w.table(
        _("Đầu ra"),
        _("VII. Kết quả đầu ra theo chỉ tiêu"),
        [
            stt,
            Column(_("Chỉ tiêu"), width=45),
            Column(_("Đơn vị tính")),
            Column(_("Số đề án"), "int"),
            Column(_("Kế hoạch"), "int"),
            Column(_("Đạt được"), "int"),
            Column(_("Tỷ lệ (%)"), "share"),
        ],
        [
            [i, r.name, r.unit, r.projects, r.planned, r.achieved, r.share]
            for i, r in enumerate(report.outputs, start=1)
        ],
    )
    w.table(
        _("Đề án tiêu biểu"),
        _("VIII. Một số đề án tiêu biểu"),
        [
            stt,
            Column(_("Mã đề án")),
            Column(_("Tên đề án"), width=50),
            Column(_("Loại")),
            Column(_("Nội dung"), width=35),
            Column(_("Đơn vị thực hiện"), width=35),
            Column(_("Trạng thái")),
            Column(_("Dự toán (đồng)"), "money"),
        ],
        [
            [i, p.code, p.title, p.kind_label, p.contents, p.implementing_unit, p.status_label, p.planned]
            for i, p in enumerate(report.notable, start=1)
        ],
        landscape=True,
    )
    return w.save()


def programme_xlsx(report, *, issuer: str) -> bytes:
    p = report.programme
    w = WorkbookWriter(
        issuer=issuer,
        title=_("Báo cáo tiến độ thực hiện chương trình khuyến công"),
        scope=f"{p.name} ({p.start_year}–{p.end_year})",
    )
    stt = Column(_("STT"), "stt", width=6)
    years = report.years
    w.table(
        _("Chỉ tiêu"),
        _("I. Chỉ tiêu so với kết quả đạt được"),
        [
            stt,
            Column(_("Chỉ tiêu"), width=55),
            Column(_("Đơn vị tính")),
            Column(_("Mục tiêu")),
            Column(_("Tối thiểu"), "int"),
            Column(_("Tối đa"), "int"),
            *[Column(_("Năm %(year)s") % {"year": y}, "int") for y in years],
            Column(_("Lũy kế đạt được"), "int"),
            Column(_("Tỷ lệ so với mức tối thiểu (%)"), "share"),
        ],
        [
            [
                i,
                t.description,
                t.unit,
                t.target_text,
                t.min_value,
                t.max_value,
                *[t.by_year[y] if t.quantified else None for y in years],
                t.achieved if t.quantified else None,
                t.share,
            ]
            for i, t in enumerate(report.targets, start=1)
        ],
        landscape=True,
    )
    w.table(
        _("Kinh phí theo nguồn"),
        _("II. Kinh phí theo nguồn so với tổng kinh phí chương trình (đồng)"),
        [
            stt,
            Column(_("Nguồn kinh phí"), width=45),
            Column(_("Kinh phí chương trình"), "money", total=True),
            *[Column(_("Được giao năm %(year)s") % {"year": y}, "money", total=True) for y in years],
            Column(_("Tổng được giao"), "money", total=True),
            Column(_("Dự toán đề án"), "money", total=True),
            Column(_("Giải ngân"), "money", total=True),
            Column(_("Quyết toán"), "money", total=True),
            Column(_("Tỷ lệ được giao (%)"), "share"),
        ],
        [
            [
                i,
                r.name,
                r.programme_budget,
                *[r.allocated_by_year[y] for y in years],
                r.allocated,
                r.planned,
                r.disbursed,
                r.settled,
                r.share,
            ]
            for i, r in enumerate(report.budget_rows, start=1)
        ],
        total_label=_("Tổng cộng"),
        notes=[
            _("Tổng kinh phí chương trình đã công bố: %(total)s đồng (%(words)s).")
            % {
                "total": format_dong(report.total_budget),
                "words": amount_in_words(report.total_budget),
            }
            if report.total_budget
            else _("Chương trình chưa ghi tổng kinh phí."),
            *(
                []
                if report.budget_split_known
                else [_("Văn bản chương trình không chia tổng kinh phí theo nguồn.")]
            ),
        ],
        landscape=True,
    )
    w.table(
        _("Theo năm"),
        _("III. Đề án và kinh phí theo năm"),
        [
            Column(_("Năm"), "year", width=10),
            Column(_("Số đề án"), "int", total=True),
            Column(_("Dự toán đề án (đồng)"), "money", total=True),
            Column(_("Được giao (đồng)"), "money", total=True),
        ],
        [[y.year, y.projects, y.planned, y.allocated] for y in report.year_rows],
        total_label=_("Tổng cộng"),
    )
    return w.save()


def national_xlsx(report, *, issuer: str) -> bytes:
    w = WorkbookWriter(
        issuer=issuer,
        title=_("Báo cáo kết quả thực hiện khuyến công %(period)s — toàn quốc")
        % {"period": report.period.label},
        scope=_period_scope(report.period, _("34 tỉnh, thành phố")),
    )
    stt = Column(_("STT"), "stt", width=6)
    w.table(
        _("Theo tỉnh"),
        _("I. Kết quả theo tỉnh, thành phố"),
        [
            stt,
            Column(_("Mã")),
            Column(_("Tỉnh, thành phố"), width=28),
            Column(_("Số đề án theo kế hoạch công bố"), "int", total=True),
            Column(_("Số đề án"), "int", total=True),
            Column(_("Đã phê duyệt trở lên"), "int", total=True),
            Column(_("Đã nghiệm thu"), "int", total=True),
            Column(_("Dự toán (đồng)"), "money", total=True),
            Column(_("Được giao (đồng)"), "money", total=True),
            Column(_("Giải ngân (đồng)"), "money", total=True),
            Column(_("Quyết toán (đồng)"), "money", total=True),
        ],
        [
            [
                i,
                r.code,
                r.name,
                r.declared_projects,
                r.projects,
                r.approved,
                r.finished,
                r.planned,
                r.allocated,
                r.disbursed,
                r.settled,
            ]
            for i, r in enumerate(report.rows, start=1)
        ],
        total_label=_("Tổng cộng"),
        landscape=True,
    )
    w.table(
        _("Nguồn kinh phí"),
        _("II. Kinh phí theo nguồn"),
        [
            stt,
            Column(_("Nguồn kinh phí"), width=45),
            Column(_("Dự toán đề án"), "money", total=True),
            Column(_("Được giao"), "money", total=True),
            Column(_("Tạm ứng"), "money", total=True),
            Column(_("Giải ngân"), "money", total=True),
            Column(_("Quyết toán"), "money", total=True),
        ],
        [
            [i, r.name, r.planned, r.allocated, r.advanced, r.disbursed, r.settled]
            for i, r in enumerate(report.by_source, start=1)
        ],
        total_label=_("Tổng cộng"),
        landscape=True,
    )
    _status_table(w, report, stt, _("III. Đề án theo trạng thái"))
    return w.save()


def project_list_xlsx(report, *, issuer: str) -> bytes:
    """The đề án list with budgets by source; rows are streamed, so thousands of đề án stay fast."""
    sources = report.sources
    w = WorkbookWriter(issuer=issuer, title=_("Danh sách đề án khuyến công"), scope=report.description)
    stt = Column(_("STT"), "stt", width=7)
    source_ids = [s.pk for s in sources] + ([None] if report.has_unnamed_source else [])
    source_names = [s.short_name for s in sources] + (
        [_("Không nêu nguồn")] if report.has_unnamed_source else []
    )
    rows = (
        [
            i,
            r.code,
            r.title,
            r.year,
            r.kind_label,
            r.contents,
            r.implementing_unit,
            r.status_label,
            *[r.by_source.get(s, 0) for s in source_ids],
            r.planned,
        ]
        for i, r in enumerate(report.rows, start=1)
    )
    sample = [
        [
            i,
            r.code,
            r.title,
            r.year,
            r.kind_label,
            r.contents,
            r.implementing_unit,
            r.status_label,
            *[r.by_source.get(s, 0) for s in source_ids],
            r.planned,
        ]
        for i, r in enumerate(report.rows[:SAMPLE_ROWS_FOR_WIDTH], start=1)
    ]
    w.table(
        _("Danh sách đề án"),
        _("Danh sách đề án và dự toán theo nguồn (đồng)"),
        [
            stt,
            Column(_("Mã đề án")),
            Column(_("Tên đề án"), width=55),
            Column(_("Năm"), "year", width=7),
            Column(_("Loại")),
            Column(_("Nội dung"), width=35),
            Column(_("Đơn vị thực hiện"), width=35),
            Column(_("Trạng thái")),
            *[Column(name, "money", total=True) for name in source_names],
            Column(_("Tổng dự toán"), "money", total=True),
        ],
        rows,
        total_label=_("Tổng cộng"),
        landscape=True,
        sample=sample,
    )
    return w.save()


def support_history_xlsx(report, *, issuer: str) -> bytes:
    w = WorkbookWriter(issuer=issuer, title=_("Lịch sử hỗ trợ cơ sở thụ hưởng"), scope=report.description)
    rows = [
        [
            i,
            r.beneficiary,
            r.tax_code,
            r.kind,
            r.year,
            r.project_code,
            r.project_title,
            r.contents,
            r.status_label,
            r.support,
            r.counterpart,
        ]
        for i, r in enumerate(report.rows, start=1)
    ]
    w.table(
        _("Lịch sử hỗ trợ"),
        _("Các lần hỗ trợ theo cơ sở, năm và nội dung (đồng)"),
        [
            Column(_("STT"), "stt", width=7),
            Column(_("Cơ sở"), width=40),
            Column(_("Mã số thuế")),
            Column(_("Loại hình")),
            Column(_("Năm"), "year", width=7),
            Column(_("Mã đề án")),
            Column(_("Đề án"), width=50),
            Column(_("Nội dung"), width=30),
            Column(_("Trạng thái")),
            Column(_("Kinh phí hỗ trợ"), "money", total=True),
            Column(_("Vốn đối ứng"), "money", total=True),
        ],
        rows,
        total_label=_("Tổng cộng"),
        landscape=True,
    )
    return w.save()
