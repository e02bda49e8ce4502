"""Files that are not what they claim get one clear Vietnamese error and write nothing."""

import io
import tracemalloc
import zipfile

import pytest

from beneficiaries.models import Beneficiary
from spreadsheets.engine import run_import
from spreadsheets.reading import SpreadsheetError, read_workbook

from .conftest import make_xlsx, soffice_convert

pytestmark = pytest.mark.django_db

HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường"]
ROW = ["Cơ sở A", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ"]


def refused(data: bytes, actor) -> list[str]:
    report = run_import(kind="beneficiaries", source=io.BytesIO(data), actor=actor, commit=True)
    assert not report.committed
    assert Beneficiary.objects.count() == 0
    return report.file_errors


def test_text_or_pdf_renamed_to_xlsx_is_not_a_spreadsheet(reference_data, can_tho_officer):
    for data in (b"Ten co so;Loai hinh\nA;B\n", b"%PDF-1.7\n..."):
        assert refused(data, can_tho_officer) == [
            "Tệp không phải bảng tính Excel (.xlsx) hay OpenDocument (.ods). Hãy dùng tệp mẫu tải về từ "
            "cổng và lưu dạng .xlsx."
        ]


def test_empty_upload_is_refused(reference_data, can_tho_officer):
    assert refused(b"", can_tho_officer) == ["Tệp tải lên rỗng."]


def test_word_document_is_named_as_such(reference_data, can_tho_officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refused(buffer.getvalue(), can_tho_officer) == [
        "Đây là tệp Word, không phải bảng tính Excel (.xlsx)."
    ]


def test_truncated_workbook_is_corrupted(reference_data, can_tho_officer):
    data = make_xlsx(HEADERS, [ROW])
    assert refused(data[: len(data) // 2], can_tho_officer) == [
        "Tệp bị hỏng, không mở được như một bảng tính .xlsx."
    ]


def test_damaged_xml_inside_a_valid_zip_is_corrupted(reference_data, can_tho_officer):
    source = zipfile.ZipFile(io.BytesIO(make_xlsx(HEADERS, [ROW])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            archive.writestr(
                item, b"<workbook><sheets><sheet" if item.filename == "xl/workbook.xml" else content
            )
    assert refused(buffer.getvalue(), can_tho_officer) == [
        "Tệp bị hỏng, không mở được như một bảng tính .xlsx."
    ]


def test_password_protected_workbook_is_refused_with_how_to(reference_data, can_tho_officer):
    # An encrypted .xlsx is an OLE compound file holding "EncryptionInfo" and "EncryptedPackage" streams.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    errors = refused(header + directory + b"\x00" * 2048, can_tho_officer)
    assert len(errors) == 1 and errors[0].startswith("Tệp được đặt mật khẩu (mã hóa)")


def test_old_xls_saved_by_libreoffice_is_refused_with_how_to(reference_data, can_tho_officer, tmp_path):
    xls = soffice_convert(tmp_path, {"cu.xlsx": make_xlsx(HEADERS, [ROW])}, to="xls")["cu"]
    errors = refused(xls, can_tho_officer)
    assert len(errors) == 1 and errors[0].startswith("Đây là tệp Excel 97–2003 (.xls)")


def test_zip_bomb_is_refused_before_anything_is_inflated(reference_data, can_tho_officer):
    source = zipfile.ZipFile(io.BytesIO(make_xlsx(HEADERS, [ROW])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item))
        # 200 MB of spaces deflates to about 200 KB.
        with archive.open("xl/media/padding.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    errors = refused(data, can_tho_officer)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(errors) == 1 and "bom nén" in errors[0]
    assert peak < 20 * 1024 * 1024


def test_file_past_the_row_limit_is_refused_while_streaming(reference_data, can_tho_officer, settings):
    settings.IMPORT_MAX_ROWS = 1_000
    data = make_xlsx(
        HEADERS, [[f"Cơ sở {i}", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ"] for i in range(1_001)]
    )
    assert refused(data, can_tho_officer) == [
        "Trang tính «Sheet1» có hơn 1.000 dòng dữ liệu; giới hạn mỗi lần nhập là 1.000 dòng. Hãy chia thành nhiều tệp."
    ]


def million_row_workbook(path) -> None:
    """A real .xlsx whose sheet holds a header and 1.000.000 rows, its XML written directly (fast)."""
    source = zipfile.ZipFile(io.BytesIO(make_xlsx(HEADERS, [ROW])))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item.filename, source.read(item))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>T\xc3\xaan c\xc6\xa1 s\xe1\xbb\x9f</t></is></c></row>'
            )
            for start in range(2, 1_000_002, 10_000):
                sheet.write(
                    b"".join(
                        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
                        for n in range(start, start + 10_000)
                    )
                )
            sheet.write(b"</sheetData></worksheet>")


def test_a_million_row_sheet_is_refused_while_streaming_in_bounded_memory(tmp_path, settings, monkeypatch):
    from spreadsheets import reading

    settings.IMPORT_MAX_ROWS = 50_000
    path = tmp_path / "trieu-dong.xlsx"
    million_row_workbook(path)
    parsed = []
    original = reading.iter_sheet_values

    def counting(archive, ws):
        for item in original(archive, ws):
            parsed.append(item[0])
            yield item

    monkeypatch.setattr(reading, "iter_sheet_values", counting)
    tracemalloc.start()
    with pytest.raises(SpreadsheetError, match="hơn 50.000 dòng"):
        read_workbook(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    # Reading stopped one row past the limit: the other 949.999 rows were never parsed.
    assert len(parsed) == 50_002 and parsed[-1] == 50_002


def test_merged_header_cells_are_refused(reference_data, can_tho_officer):
    data = make_xlsx(["Thông tin cơ sở", None, "Mã số thuế", "Xã/phường"], [ROW], merge="A1:B1")
    errors = refused(data, can_tho_officer)
    assert len(errors) == 1
    assert errors[0].startswith("Trang tính «Sheet1» có ô tiêu đề bị gộp (A1:B1)")


def test_formula_cells_are_rejected_not_computed(reference_data, can_tho_officer):
    data = make_xlsx(HEADERS, [['=CONCAT("Cơ ","sở")', "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ"]])
    report = run_import(kind="beneficiaries", source=io.BytesIO(data), actor=can_tho_officer, commit=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Tên cơ sở")]
    assert "công thức" in report.errors[0].message
    assert Beneficiary.objects.count() == 0


def test_missing_required_column_is_a_file_error(reference_data, can_tho_officer):
    report = run_import(
        kind="beneficiaries", source=io.BytesIO(make_xlsx(["Tên cơ sở", "Mã số thuế"], [["A", None]])),
        actor=can_tho_officer, commit=True,
    )  # fmt: skip
    assert report.file_errors == [
        "Trang tính «Cơ sở CNNT»: Thiếu cột bắt buộc: «Loại hình», «Xã/phường». Hãy dùng tệp mẫu tải về từ cổng."
    ]
    assert Beneficiary.objects.count() == 0
