"""The annual report workbook of a province."""

from __future__ import annotations

from django.utils.translation import gettext as _

from khuyencong.money import format_dong

from ..selectors.rows import combined_qualifier, qualifier_prefix, with_qualifier
from .writer import Column, WorkbookWriter, _period_scope, _status_table, _words


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
            Column(_("Cách nêu số được giao")),
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
                qualifier_prefix(combined_qualifier(a.qualifier for a in p.allocations if a.amount)),
                sum(a.amount for a in p.allocations),
                p.source_note,
            ]
            for i, p in enumerate(report.declared_plans, start=1)
        ],
        total_label=_("Tổng cộng"),
        total_texts={
            _("Cách nêu số được giao"): qualifier_prefix(
                combined_qualifier(
                    a.qualifier for p in report.declared_plans for a in p.allocations if a.amount
                )
            )
        },
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
        total_texts={_("Cách nêu số được giao"): t.allocated_prefix},
        notes=[
            _words(_("Tổng dự toán bằng chữ:"), t.planned),
            _words(_("Tổng kinh phí được giao bằng chữ:"), t.allocated, prefix=t.allocated_prefix),
            *(
                [
                    _(
                        "Tổng kinh phí được giao là %(total)s đồng: có số liệu nguồn được nêu «%(prefix)s», nên "
                        "tổng cộng cũng chỉ là «%(prefix)s» số đó."
                    )
                    % {
                        "total": with_qualifier(t.allocated, t.allocated_qualifier),
                        "prefix": t.allocated_prefix,
                    }
                ]
                if t.allocated_prefix and t.allocated
                else []
            ),
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
