"""The fast paths give exactly what the plain paths give: accent folding, the search text, the
streamed sheet values, the values remembered per column, and the rows written by executemany / COPY and
UPDATE (on PostgreSQL when the tests run there)."""

import datetime
import io
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from beneficiaries.models import Beneficiary
from khuyencong.vn_text import fold_accents, fold_accents_exact
from spreadsheets.engine import run_import
from spreadsheets.reading import read_workbook
from tests.factories import valid_tax_code

from .conftest import make_xlsx

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
ODD = " \t\n\u00a0\u200bßæÆıĳσΣ日\u0301\u0323\u0309ǰẞİ\\'\"«»"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=VIETNAMESE + ODD, max_size=40) | st.text(max_size=20), st.booleans())
def test_fold_accents_is_the_exact_rule(text, decomposed):
    if decomposed:
        text = unicodedata.normalize("NFD", text)
    assert fold_accents(text) == fold_accents_exact(text)


def test_fold_of_every_character_alone_and_beside_letters():
    for code in range(0x3000):
        char = chr(code)
        for text in (char, "A" + char, char + "ơ ", "Ạb" + char + "x"):
            assert fold_accents(text) == fold_accents_exact(text), hex(code)


HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Địa chỉ", "Người đại diện", "Điện thoại",
           "Thư điện tử", "Ngành nghề", "Làng nghề", "Số lao động", "Phụ nữ làm chủ", "Dân tộc thiểu số"]  # fmt: skip


def run(data: bytes, actor, commit=True):
    return run_import(kind="beneficiaries", source=io.BytesIO(data), actor=actor, commit=commit)


@pytest.mark.django_db
def test_written_rows_hold_what_a_save_would_store(reference_data, can_tho_officer):
    rows = [
        ["Cơ sở gốm sứ Bình Thủy \\ chi nhánh", "Doanh nghiệp nhỏ và vừa", valid_tax_code(), "xã Thới Lai, Cần Thơ",
         "Số 5\\7, ấp Trường Thuận", "Nguyễn Thị Ửng", "0292 3850 123", "ung@example.vn", "Gốm",
         "Làng gốm Bình Thủy", "1.200", "Có", "Không"],
        ["Hộ làm nhang Σίγμα ﬁ", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, None, None,
         "Làm nhang", None, None, None, "x"],
        [unicodedata.normalize("NFD", "Hộ đan đát Ông Ẩn"), "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ",
         "Ấp\u00a0Thới\tThuận", "Trần Văn Hùng", 2923850123, None, None, None, 0, "Không", True],
    ]  # fmt: skip
    report = run(make_xlsx(HEADERS, rows), can_tho_officer)
    assert report.committed, report.errors

    first = Beneficiary.objects.get(tax_code=rows[0][2])
    assert first.name == "Cơ sở gốm sứ Bình Thủy \\ chi nhánh"
    assert first.address == "Số 5\\7, ấp Trường Thuận"
    assert (first.email, first.craft_village, first.employees) == (
        "ung@example.vn",
        "Làng gốm Bình Thủy",
        1200,
    )
    assert (first.women_owned, first.ethnic_minority, first.is_demo, first.source_note) == (
        True,
        False,
        False,
        "",
    )
    assert first.created_at is not None and first.updated_at is not None
    second = Beneficiary.objects.get(name="Hộ làm nhang Σίγμα ﬁ")
    assert (second.tax_code, second.address, second.email, second.employees) == (None, "", "", None)
    assert (second.women_owned, second.ethnic_minority) == (False, True)
    third = Beneficiary.objects.get(name="Hộ đan đát Ông Ẩn")  # composed (NFC) on the way in
    assert (third.address, third.phone, third.employees) == ("Ấp Thới Thuận", "2923850123", 0)
    for saved in Beneficiary.objects.all():
        assert saved.search_text == saved.build_search_text()
        assert saved.province.code == "92" and saved.unit_at_time.full_name == "Xã Thới Lai"


@pytest.mark.django_db
def test_updated_rows_hold_every_changed_field(reference_data, can_tho_officer):
    code = valid_tax_code()
    base = ["Cơ sở mây tre", "Doanh nghiệp nhỏ và vừa", code, "xã Thới Lai, Cần Thơ", "Ấp 1", "A", "1",
            None, "Mây tre", None, 5, "Không", "Không"]  # fmt: skip
    household = ["Hộ dệt chiếu", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, None, None,
                 None, None, 2, None, None]  # fmt: skip
    assert run(make_xlsx(HEADERS, [base, household]), can_tho_officer).committed
    created = Beneficiary.objects.get(tax_code=code)

    changed = ["Cơ sở mây tre \\ đan", "Hộ kinh doanh", code, "xã Trường Thắng, huyện Thới Lai", "Ấp 2", "B", "2",
               "b@example.vn", "Đan lát", "Làng mây tre", None, "Có", "Có"]  # fmt: skip
    household_changed = household[:10] + [7, "Có", None]
    report = run(make_xlsx(HEADERS, [changed, household_changed]), can_tho_officer)
    assert (report.totals.updated, report.totals.new) == (2, 0), report.errors

    saved = Beneficiary.objects.get(pk=created.pk)
    assert (saved.name, saved.kind.code, saved.address, saved.representative, saved.phone, saved.email) == (
        "Cơ sở mây tre \\ đan", "ho-kinh-doanh", "Ấp 2", "B", "2", "b@example.vn",
    )  # fmt: skip
    assert (saved.industry, saved.craft_village, saved.employees, saved.women_owned, saved.ethnic_minority) == (
        "Đan lát", "Làng mây tre", None, True, True,
    )  # fmt: skip
    assert saved.unit_at_time.full_name == "Xã Trường Thắng" and saved.current_unit.full_name == "Xã Thới Lai"
    assert saved.search_text == saved.build_search_text()
    assert saved.updated_at > created.updated_at and saved.created_at == created.created_at
    other = Beneficiary.objects.get(name="Hộ dệt chiếu")
    assert (other.employees, other.women_owned) == (7, True)
    assert Beneficiary.objects.count() == 2


@pytest.mark.django_db
def test_remembered_cell_values_keep_types_apart_and_repeat_refusals(reference_data, can_tho_officer):
    rows = [
        ["Cơ sở 1", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, True, None, None, None, 1, 1, None],
        ["Cơ sở 2", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, 1, None, None, None, 1.0, "1", None],
        ["Cơ sở 3", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, "1", None, None, None, "1", True, None],
    ]  # fmt: skip
    assert run(make_xlsx(HEADERS, rows), can_tho_officer).committed
    phones = dict(Beneficiary.objects.values_list("name", "phone"))
    assert phones == {"Cơ sở 1": "True", "Cơ sở 2": "1", "Cơ sở 3": "1"}
    assert set(Beneficiary.objects.values_list("employees", "women_owned")) == {(1, True)}

    bad = [[f"Cơ sở {i}", "Loại lạ", None, "xã Thới Lai, Cần Thơ"] + [None] * 9 for i in range(4, 7)]
    report = run(make_xlsx(HEADERS, bad), can_tho_officer)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (row, "Loại hình", "Không có loại hình «Loại lạ» trong danh mục.") for row in (2, 3, 4)
    ]


def _mixed_workbook(rows: int, *, formulas: bool = True) -> bytes:
    """Shared strings, inline rich text, numbers, dates, booleans, formulas, gaps: more than one read chunk.
    Without `formulas`, that column holds text with leading zeros (tax codes, phone numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên", "Số", "Ngày", "Có", "Công thức", "Trống", "Xa"])
    for i in range(rows):
        name = f"Cơ sở «{i}» & <Ấp> \\ {'x' * (i % 7)}"
        sheet.append([name, i * 1.5 if i % 3 else i, datetime.datetime(2026, 1, 1 + i % 28),  # noqa: DTZ001 - an Excel date is naive
                      i % 2 == 0,
                      f"=B{i + 2}*2" if formulas else f"0{i:09d}" if i % 2 else f" 0292 {i:07d} ",
                      None, "xa" if i % 5 == 0 else None])  # fmt: skip
    sheet["A3"] = CellRichText(["Hộ ", TextBlock(InlineFont(b=True), "đậm"), " thường"])
    sheet["K7"] = "cột xa"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_streamed_values_are_openpyxls_values_over_many_chunks():
    data = _mixed_workbook(4_000)
    ours = read_workbook(io.BytesIO(data), max_rows=10_000)[""]
    theirs = list(load_workbook(io.BytesIO(data), read_only=True, rich_text=False).worksheets[0].values)
    headers = list(theirs[0])
    while headers[-1] is None:
        headers.pop()
    assert ours.headers == headers
    assert ours.row_numbers == list(range(2, len(theirs) + 1))
    for values, expected in zip(ours.rows, theirs[1:], strict=True):
        expected = list(expected[: len(ours.headers)])
        while expected and expected[-1] is None:
            expected.pop()
        assert list(values) + [None] * (len(expected) - len(values)) == expected


def _calamine_spy(monkeypatch) -> list[str]:
    from spreadsheets import calamine_rows

    read = []
    original = calamine_rows.sheet_values

    def spy(book, title):
        read.append(title)
        return original(book, title)

    monkeypatch.setattr(calamine_rows, "sheet_values", spy)
    return read


def test_calamine_reads_the_values_the_streaming_reader_and_openpyxl_read(monkeypatch):
    from spreadsheets import calamine_rows

    data = _mixed_workbook(4_000, formulas=False)
    read = _calamine_spy(monkeypatch)
    fast = read_workbook(io.BytesIO(data), max_rows=10_000)[""]
    assert read == ["Sheet"]
    monkeypatch.setattr(calamine_rows, "open_workbook", lambda handle: None)
    streamed = read_workbook(io.BytesIO(data), max_rows=10_000)[""]
    assert len(read) == 1
    assert fast == streamed
    theirs = list(load_workbook(io.BytesIO(data), read_only=True, rich_text=False).worksheets[0].values)
    for values, expected in zip(fast.rows, theirs[1:], strict=True):
        expected = list(expected[: len(fast.headers)])
        while expected and expected[-1] is None:
            expected.pop()
        assert list(values) + [None] * (len(expected) - len(values)) == expected
    assert fast.rows[1][4] == "0000000001" and fast.rows[0][4] == " 0292 0000000 "


def test_a_sheet_with_a_formula_or_past_the_row_limit_is_read_by_the_streaming_reader(monkeypatch):
    read = _calamine_spy(monkeypatch)
    formulas = read_workbook(io.BytesIO(_mixed_workbook(50)), max_rows=1_000)[""]
    assert read == [] and formulas.rows[0][4] == "=B2*2"
    from spreadsheets.reading import SpreadsheetError

    with pytest.raises(SpreadsheetError, match="hơn 100 dòng"):
        read_workbook(io.BytesIO(_mixed_workbook(200, formulas=False)), max_rows=100)
    assert read == []


def test_titles_above_the_header_and_its_merged_cells_read_alike_by_both_readers(monkeypatch):
    from spreadsheets import calamine_rows

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CƠ SỞ"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Tên cơ sở", "Thông tin", None, "Mã số thuế"])
    sheet.merge_cells("B3:C3")
    sheet.append(["Cơ sở A", 1, datetime.date(2026, 3, 1), "0101234567"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    keys = [("Danh sách", {"ten co so", "ma so thue"})]
    read = _calamine_spy(monkeypatch)
    fast = read_workbook(io.BytesIO(buffer.getvalue()), sheets=keys)["Danh sách"]
    monkeypatch.setattr(calamine_rows, "open_workbook", lambda handle: None)
    streamed = read_workbook(io.BytesIO(buffer.getvalue()), sheets=keys)["Danh sách"]
    assert read == ["Sheet"] and fast == streamed
    assert (fast.header_row, fast.merged_header_cells, fast.row_numbers) == (3, ["B3:C3"], [4])
    assert fast.rows == [("Cơ sở A", 1, datetime.datetime(2026, 3, 1), "0101234567")]  # noqa: DTZ001
