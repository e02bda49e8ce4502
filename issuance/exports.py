"""The register of outgoing reports as a workbook."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from khuyencong.workbooks import put

from .services import person_name  # noqa: E402

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_xlsx(rows, *, year: int) -> bytes:
    """Every value goes through the shared writer, so text (a title, a recipient) is stored as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Sổ văn bản đi %(year)s") % {"year": year}

    line = 0

    def write_row(values) -> int:
        nonlocal line
        line += 1
        for column, value in enumerate(values, start=1):
            put(ws, line, column, value)
        return line

    write_row([_("SỔ ĐĂNG KÝ VĂN BẢN ĐI — BÁO CÁO NĂM %(year)s") % {"year": year}])
    ws["A1"].font = Font(bold=True, size=13)
    headers = [
        _("Số, ký hiệu"),
        _("Ngày tháng"),
        _("Trích yếu nội dung"),
        _("Cơ quan ban hành"),
        _("Người ký"),
        _("Người ban hành"),
        _("Nơi nhận (thư điện tử)"),
        _("Bản đã ký số"),
        _("Mã xác minh"),
        _("SHA-256 tệp PDF"),
    ]
    write_row(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        at = write_row(
            [
                row.number_text,
                row.issued_on,
                row.title,
                row.agency_name,
                row.signer_name,
                person_name(row.issued_by),
                "; ".join(row.recipients),
                getattr(row, "signed_count", 0),
                row.pretty_code,
                row.sha256,
            ]
        )
        ws.cell(at, 2).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJ", (14, 12, 60, 36, 22, 22, 30, 10, 12, 66), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    line += 1  # an empty row before the note
    write_row(
        [
            _("Lập ngày %(day)s từ Cổng quản lý khuyến công.")
            % {"day": timezone.localdate().strftime("%d/%m/%Y")}
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
