"""The national workbook: every province side by side."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .writer import Column, WorkbookWriter, _period_scope, _status_table


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
            Column(_("Cách nêu số được giao")),
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
                r.allocated_prefix if r.allocated else "",
                r.allocated,
                r.disbursed,
                r.settled,
            ]
            for i, r in enumerate(report.rows, start=1)
        ],
        total_label=_("Tổng cộng"),
        total_texts={_("Cách nêu số được giao"): report.totals.allocated_prefix},
        landscape=True,
    )
    w.table(
        _("Nguồn kinh phí"),
        _("II. Kinh phí theo nguồn"),
        [
            stt,
            Column(_("Nguồn kinh phí"), width=45),
            Column(_("Dự toán đề án"), "money", total=True),
            Column(_("Cách nêu số được giao")),
            Column(_("Được giao"), "money", total=True),
            Column(_("Tạm ứng"), "money", total=True),
            Column(_("Giải ngân"), "money", total=True),
            Column(_("Quyết toán"), "money", total=True),
        ],
        [
            [
                i,
                r.name,
                r.planned,
                r.allocated_prefix if r.allocated else "",
                r.allocated,
                r.advanced,
                r.disbursed,
                r.settled,
            ]
            for i, r in enumerate(report.by_source, start=1)
        ],
        total_label=_("Tổng cộng"),
        total_texts={_("Cách nêu số được giao"): report.source_totals.allocated_prefix},
        landscape=True,
    )
    _status_table(w, report, stt, _("III. Đề án theo trạng thái"))
    return w.save()
