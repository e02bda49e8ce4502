"""The đề án list and the support history of beneficiaries (rows streamed)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .writer import SAMPLE_ROWS_FOR_WIDTH, Column, WorkbookWriter


def project_list_xlsx(report, *, issuer: str) -> bytes:
    """The đề án list with budgets by source; rows are streamed, so thousands of đề án stay fast."""
    return project_list_workbook(
        sources=report.sources,
        has_unnamed_source=report.has_unnamed_source,
        description=report.description,
        rows=report.rows,
        issuer=issuer,
    ).save()


def project_list_workbook(
    *, sources, has_unnamed_source: bool, description: str, rows: Iterable, issuer: str
) -> WorkbookWriter:
    """The đề án list workbook from any iterable of rows: a generator keeps memory flat for the whole nation
    (write-only sheet; the totals are =SUM formulas, nothing is summed here)."""
    w = WorkbookWriter(issuer=issuer, title=_("Danh sách đề án khuyến công"), scope=description)
    stt = Column(_("STT"), "stt", width=7)
    source_ids = [s.pk for s in sources] + ([None] if has_unnamed_source else [])
    source_names = [s.short_name for s in sources] + ([_("Không nêu nguồn")] if has_unnamed_source else [])

    def line(i, r):
        return [
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

    rows = iter(rows)
    first = list(itertools.islice(rows, SAMPLE_ROWS_FOR_WIDTH))
    sample = [line(i, r) for i, r in enumerate(first, start=1)]
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
        (line(i, r) for i, r in enumerate(itertools.chain(first, rows), start=1)),
        total_label=_("Tổng cộng"),
        landscape=True,
        sample=sample,
    )
    return w


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
