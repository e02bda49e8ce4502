"""The national-programme workbook: the national plan against execution, the PDF's tables side by side."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .writer import Column, WorkbookWriter


def national_programme_xlsx(report, *, issuer: str) -> bytes:
    """The same tables as the PDF (reports.pdf.national_programme_sections), totals as =SUM formulas."""
    from ..pdf import national_programme_sections

    plans = "; ".join(
        _("QĐ số %(number)s ngày %(date)s")
        % {"number": p.decision_number, "date": p.decision_date.strftime("%d/%m/%Y")}
        for p in report.plans
        if p.decision_date
    )
    w = WorkbookWriter(
        issuer=issuer,
        title=_("Báo cáo chương trình khuyến công quốc gia năm %(year)s") % {"year": report.year},
        scope=plans or _("Chưa có kế hoạch khuyến công quốc gia được phê duyệt cho năm này."),
    )
    stt = Column(_("STT"), "stt", width=6)
    names = [_("Theo tỉnh"), _("Theo đơn vị"), _("Theo nội dung"), _("Theo nguồn"), _("Đề án")]
    for name, section in zip(names, national_programme_sections(report), strict=True):
        is_projects = section["rows"] is report.projects
        columns = [stt, Column(section["label"], width=50)]
        if is_projects:
            columns += [
                Column(_("Mã đề án")),
                Column(_("Tỉnh, thành phố")),
                Column(_("Đơn vị thực hiện"), width=35),
                Column(_("Trạng thái")),
            ]
        columns += [Column(_("Số đề án"), "int", total=True)]
        columns += [Column(h, "money", total=True) for h in section["headers"]]
        rows = []
        for i, r in enumerate(section["rows"], start=1):
            extra = [r.key, r.province, r.unit, r.status] if is_projects else []
            row = [i, r.name, *extra, r.projects, *[getattr(r, f) for f in section["fields"]]]
            rows.append(row)
        w.table(
            name,
            section["heading"],
            columns,
            rows,
            total_label=_("Tổng cộng"),
            notes=[section["note"]] if section["note"] else [],
            landscape=True,
        )
    return w.save()
