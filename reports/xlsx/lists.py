"""The đề án list and the support history of beneficiaries (rows streamed)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .writer import SAMPLE_ROWS_FOR_WIDTH, Column, WorkbookWriter


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
