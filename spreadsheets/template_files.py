"""Downloadable .xlsx templates: a Vietnamese header row, a notes row, an example row, and drop-down lists.

Drop-down lists point at a hidden "Danh mục" sheet (a list typed inline is limited to 255 characters, too
short for contents or places).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from khuyencong.list_export import safe_sheet_title
from khuyencong.workbooks import put

from .registry import spec_for

LIST_SHEET = "Danh mục"
DATA_ROWS = 5000  # rows covered by the drop-down lists below the example
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A00")
NOTE_FILL = PatternFill("solid", fgColor="FFF2CC")
EXAMPLE_FILL = PatternFill("solid", fgColor="E2EFDA")


def place_options(province) -> list[str]:
    """Today's communes of the province, "Xã A, Thành phố B": each imports as that commune whatever else
    bears its name (`resources.places`); old names are accepted too when typed."""
    if province is None:
        return []
    from places.models import AdministrativeUnit

    from .resources.places import template_label

    units = AdministrativeUnit.objects.current().communes().filter(province=province).order_by("name")
    return [template_label(u, province) for u in units]


def build_template(kind: str, *, province=None) -> bytes:
    """The template workbook of an import kind, as bytes; `province` fills the list of communes."""
    spec = spec_for(kind)
    workbook = Workbook()
    lists = workbook.active
    lists.title = LIST_SHEET
    list_column = 0
    for index, sheet_spec in enumerate(spec.sheets):
        sheet = workbook.create_sheet(safe_sheet_title(sheet_spec.title), index)
        columns = sheet_spec.resource_class.columns()
        for position, column in enumerate(columns, start=1):
            letter = get_column_letter(position)
            header = put(sheet, 1, position, column.column_name + (" (*)" if column.required else ""))
            header.font = Font(bold=True, color="FFFFFF")
            header.fill = REQUIRED_FILL if column.required else HEADER_FILL
            header.alignment = Alignment(wrap_text=True, vertical="center")
            note = column.note or ""
            if position == 1 and not note.startswith("Hướng dẫn"):
                note = "Hướng dẫn: " + note
            note_cell = put(sheet, 2, position, note)
            note_cell.font = Font(italic=True, color="555555", size=9)
            note_cell.fill = NOTE_FILL
            note_cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.example not in (None, ""):
                example = put(sheet, 3, position, column.example)
                example.fill = EXAMPLE_FILL
                if column.column_name in {"Mã số thuế"}:
                    example.number_format = "@"
            sheet.column_dimensions[letter].width = column.width
            if column.column_name == "Mã số thuế":
                sheet.column_dimensions[letter].number_format = "@"  # keep the leading zero
            if column.places:
                options = place_options(province)
            else:
                options = column.choices_factory() if column.choices_factory else None
            if options:
                list_column += 1
                list_letter = get_column_letter(list_column)
                put(lists, 1, list_column, column.column_name)
                for row, option in enumerate(options, start=2):
                    put(lists, row, list_column, str(option))
                source = f"{quote_sheetname(LIST_SHEET)}!${list_letter}$2:${list_letter}${len(options) + 1}"
                validation = DataValidation(
                    type="list",
                    formula1=source,
                    allow_blank=not column.required,
                    showErrorMessage=column.column_name not in {"Xã/phường", "Nội dung", "Địa bàn"},
                    errorTitle=_("Giá trị không có trong danh sách"),
                    error=_("Hãy chọn một giá trị trong danh sách thả xuống."),
                    promptTitle=column.column_name[:32],
                    prompt=(column.note or "")[:255],
                    showInputMessage=bool(column.note),
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}3:{letter}{DATA_ROWS + 3}")
        sheet.row_dimensions[1].height = 32
        sheet.row_dimensions[2].height = 60
        sheet.freeze_panes = "A3"
        sheet["A1"].comment = Comment(
            _(
                "Dòng 1: tiêu đề (không sửa, không gộp ô). Dòng 2: hướng dẫn. Dòng 3: ví dụ — sửa thành dữ liệu "
                "thật hoặc để nguyên (dòng ví dụ còn nguyên sẽ được bỏ qua). Cột (*) là bắt buộc."
            ),
            "Cổng khuyến công",
        )
    if list_column == 0:
        put(lists, 1, 1, "")
    lists.sheet_state = "hidden"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
