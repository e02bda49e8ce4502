import csv
import datetime
import io

from openpyxl import load_workbook

from khuyencong.list_export import export_response, neutralise, safe_sheet_title

HEADERS = ["Tên cơ sở", "Mã số thuế", "Kinh phí (đồng)", "Ngày"]
ROWS = [
    ["Cơ sở đan dây nhựa Đức Hòa", "1800123456", 1_791_000_000, datetime.date(2025, 3, 1)],
    ['=HYPERLINK("http://x","bấm")', "+84 123", -5, None],
    ["@SUM(A1)", "-1+2", 0, None],
    ["\tẩn", "\rdòng", 12, None],
]


def test_neutralise_prefixes_formula_triggers_but_keeps_numbers():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+1") == "'+1"
    assert neutralise("-1") == "'-1"
    assert neutralise("@A1") == "'@A1"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("Hà Nội") == "Hà Nội"
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_xlsx_export_keeps_vietnamese_and_never_writes_a_formula():
    response = export_response(HEADERS, iter(ROWS), filename="Danh sách cơ sở", title="Cơ sở: 2025/26")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''Danh%20s%C3%A1ch%20c%C6%A1%20s%E1%BB%9F.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Cơ sở  2025 26"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[1][:3] == ["Cơ sở đan dây nhựa Đức Hòa", "1800123456", 1_791_000_000]
    assert values[1][3].date() == datetime.date(2025, 3, 1)
    # Text as typed, in text-typed cells: no apostrophe added, nothing a spreadsheet would run.
    assert values[2][:3] == ['=HYPERLINK("http://x","bấm")', "+84 123", -5]
    assert values[3][:2] == ["@SUM(A1)", "-1+2"]
    assert sheet["A3"].data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_export_starts_with_bom_and_neutralises_formulas():
    response = export_response(HEADERS, ROWS, filename="co-so.csv", fmt="csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == ["Cơ sở đan dây nhựa Đức Hòa", "1800123456", "1791000000", "01/03/2025"]
    assert rows[2][0].startswith("'=")
    assert rows[3][:2] == ["'@SUM(A1)", "'-1+2"]
    assert 'filename="co-so.csv"' in response["Content-Disposition"]


def test_xlsx_export_of_many_rows_is_streamed_through_write_only_mode():
    rows = ([f"Cơ sở {i}", str(i), i * 1000, None] for i in range(5_000))
    response = export_response(HEADERS, rows, filename="lon")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 5_001


def test_sheet_title_is_made_valid():
    assert safe_sheet_title("a" * 40) == "a" * 31
    assert safe_sheet_title("[]:*?/\\") == "Danh sách"
