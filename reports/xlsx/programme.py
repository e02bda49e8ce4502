"""The programme progress workbook."""

from __future__ import annotations

from django.utils.translation import gettext as _

from khuyencong.money import amount_in_words, format_dong

from .writer import Column, WorkbookWriter


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
