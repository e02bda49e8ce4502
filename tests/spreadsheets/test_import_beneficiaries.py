"""Importing beneficiaries: what is written, what is matched, and that a rejected file writes nothing."""

import io
import unicodedata

import pytest

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from spreadsheets.engine import run_import
from spreadsheets.template_files import build_template
from tests.factories import BeneficiaryFactory, beneficiary_kind, valid_tax_code

from .conftest import make_xlsx, soffice_convert

pytestmark = pytest.mark.django_db

HEADERS = [
    "Tên cơ sở",
    "Loại hình",
    "Mã số thuế",
    "Xã/phường",
    "Tỉnh/thành phố",
    "Số lao động",
    "Phụ nữ làm chủ",
]


def run(data: bytes, actor, commit=True):
    return run_import(kind="beneficiaries", source=io.BytesIO(data), actor=actor, commit=commit)


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_valid_rows_are_written_with_places_mapped_from_old_names(reference_data, can_tho_officer, can_tho):
    code = valid_tax_code()
    data = make_xlsx(
        HEADERS,
        [
            ["Cơ sở mây tre đan Thới Lai", "Doanh nghiệp nhỏ và vừa", code, "xã Trường Thắng, huyện Thới Lai", "", "1.200", "Có"],
            ["  Hộ  bánh tráng   Phong Điền ", "Hộ kinh doanh", None, "huyện Phong Điền, TP Cần Thơ", None, 3, "Không"],
        ],
    )  # fmt: skip
    report = run(data, can_tho_officer)

    assert report.committed and report.ok
    assert (report.totals.new, report.totals.updated, report.totals.rejected) == (2, 0, 0)
    first = Beneficiary.objects.get(tax_code=code)
    assert first.name == "Cơ sở mây tre đan Thới Lai"
    assert first.kind.code == "dn-nho-va-vua"
    assert first.unit_at_time.full_name == "Xã Trường Thắng"
    assert first.unit_at_time.era == AdministrativeUnit.Era.OLD
    assert first.province == can_tho
    assert first.employees == 1200
    assert first.women_owned is True
    assert first.search_text.startswith("co so may tre dan thoi lai")
    second = Beneficiary.objects.get(tax_code__isnull=True)
    assert second.name == "Hộ bánh tráng Phong Điền"  # stray spaces gone
    assert second.unit_at_time.full_name == "Huyện Phong Điền"
    assert second.province == can_tho


def test_one_bad_row_rejects_the_whole_file_and_names_row_column_and_problem(reference_data, can_tho_officer):
    good, bad_check_digit = valid_tax_code(), valid_tax_code()
    bad_check_digit = bad_check_digit[:9] + str((int(bad_check_digit[9]) + 1) % 10)
    data = make_xlsx(
        HEADERS,
        [
            ["Cơ sở A", "Doanh nghiệp nhỏ và vừa", good, "xã Thới Lai, Cần Thơ", None, 5, None],
            ["Cơ sở B", "Doanh nghiệp nhỏ và vừa", bad_check_digit, "xã Không Có Thật", None, -4, None],
            ["Cơ sở C", "Loại hình lạ", "", "xã Thới Lai, Cần Thơ", None, "12,5", None],
            ["Cơ sở D", "Hộ kinh doanh", good, "xã Thới Lai, Cần Thơ", None, None, "có lẽ"],
        ],
    )
    report = run(data, can_tho_officer)

    assert not report.committed
    assert Beneficiary.objects.count() == 0
    assert report.totals.rejected == 3
    found = errors_of(report)
    assert (3, "Mã số thuế", f"Mã số thuế «{bad_check_digit}» sai chữ số kiểm tra (chữ số thứ 10).") in found
    assert any(
        r == 3 and c == "Xã/phường" and "Không tìm thấy đơn vị hành chính «xã Không Có Thật»" in m
        for r, c, m in found
    )
    assert (3, "Số lao động", "Không được là số âm (-4).") in found
    assert (4, "Loại hình", "Không có loại hình «Loại hình lạ» trong danh mục.") in found
    assert any(r == 4 and c == "Số lao động" and "không phải là số nguyên" in m for r, c, m in found)
    assert (5, "Mã số thuế", f"Trùng mã số thuế {good} với dòng 2 của tệp.") in found
    assert any(r == 5 and c == "Phụ nữ làm chủ" for r, c, _m in found)
    letters = {e.column: e.letter for e in report.errors}
    assert letters["Mã số thuế"] == "C" and letters["Số lao động"] == "F"


def test_reimport_counts_unchanged_and_updates_by_tax_code_even_from_decomposed_text(
    reference_data, can_tho_officer
):
    code = valid_tax_code()
    rows = [["Cơ sở gốm Đức", "Doanh nghiệp nhỏ và vừa", code, "xã Thới Lai, Cần Thơ", None, 10, "Không"]]
    assert run(make_xlsx(HEADERS, rows), can_tho_officer).committed

    nfd = [[unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in rows[0]]]
    again = run(make_xlsx(HEADERS, nfd), can_tho_officer)
    assert (again.totals.new, again.totals.updated, again.totals.unchanged) == (0, 0, 1)

    changed = [rows[0][:5] + ["15", "Không"]]
    report = run(make_xlsx(HEADERS, changed), can_tho_officer)
    assert (report.totals.new, report.totals.updated) == (0, 1)
    assert Beneficiary.objects.get().employees == 15


def test_household_without_tax_code_is_matched_by_name_and_commune(reference_data, can_tho_officer, can_tho):
    unit = AdministrativeUnit.objects.get(era="new", level=3, full_name="Xã Thới Lai")
    existing = BeneficiaryFactory(
        name="Hộ làm nhang Thới Lai", tax_code=None, unit_at_time=unit, province=can_tho,
        kind=beneficiary_kind("ho-kinh-doanh"),
    )  # fmt: skip
    data = make_xlsx(
        HEADERS, [["hộ làm nhang thới lai", "Hộ kinh doanh", None, "Xã Thới Lai, TP. Cần Thơ", None, 4, None]]
    )
    report = run(data, can_tho_officer)
    assert report.totals.updated == 1
    existing.refresh_from_db()
    assert existing.employees == 4
    assert Beneficiary.objects.count() == 1


def test_officer_cannot_create_or_update_beneficiaries_of_another_province(
    reference_data, can_tho_officer, hai_phong
):
    theirs = BeneficiaryFactory(province=hai_phong)
    data = make_xlsx(
        HEADERS,
        [
            [
                "Cơ sở Hải An",
                "Doanh nghiệp nhỏ và vừa",
                valid_tax_code(),
                "phường Hải An, Hải Phòng",
                None,
                1,
                None,
            ],
            ["Đổi tên", "Doanh nghiệp nhỏ và vừa", theirs.tax_code, "xã Thới Lai, Cần Thơ", None, 1, None],
        ],
    )
    report = run(data, can_tho_officer)
    assert not report.committed
    found = errors_of(report)
    assert any(
        r == 2 and c == "Xã/phường" and "ngoài phạm vi tỉnh của bạn (Thành phố Cần Thơ)" in m
        for r, c, m in found
    )
    # Another province's tax code is a new establishment here, exactly as an unknown code would be.
    assert not any(r == 3 for r, c, m in found)
    assert not any("tỉnh khác" in m for r, c, m in found)
    assert Beneficiary.objects.count() == 1
    theirs.refresh_from_db()
    assert theirs.name != "Đổi tên"


def test_legacy_encodings_formulas_and_text_numbers(reference_data, can_tho_officer):
    data = make_xlsx(
        HEADERS,
        [
            ["C¬ së mµnh tre", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, "1.000", None],
            ["Cô sôû maây tre", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, None, None],
            ["Cơ sở đúng", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, "=2*3", None],
        ],
    )
    report = run(data, can_tho_officer)
    found = errors_of(report)
    assert any(r == 2 and c == "Tên cơ sở" and "bảng mã cũ TCVN3" in m for r, c, m in found)
    assert any(r == 3 and c == "Tên cơ sở" and "bảng mã cũ VNI" in m for r, c, m in found)
    assert any(r == 4 and c == "Số lao động" and "công thức" in m for r, c, m in found)
    assert Beneficiary.objects.count() == 0


def test_filled_template_skips_notes_and_untouched_example_rows(reference_data, can_tho_officer, can_tho):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(build_template("beneficiaries", province=can_tho)))
    sheet = workbook["Cơ sở CNNT"]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "Tên cơ sở (*)" and sheet["A2"].value.startswith("Hướng dẫn")
    row = {h: None for h in headers}
    row.update(
        {
            "Tên cơ sở (*)": "Cơ sở thật",
            "Loại hình (*)": "Hộ kinh doanh",
            "Xã/phường (*)": "Xã Thới Lai, Thành phố Cần Thơ",
        }
    )
    sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(buffer.getvalue(), can_tho_officer)
    assert report.ok, report.errors
    assert list(Beneficiary.objects.values_list("name", flat=True)) == ["Cơ sở thật"]


def test_files_saved_by_libreoffice_import_the_same(reference_data, can_tho_officer, tmp_path):
    code = valid_tax_code()
    csv_text = (
        ",".join(HEADERS) + "\n"
        + f'Cơ sở cơ khí Ô Môn,Doanh nghiệp nhỏ và vừa,{code},"xã Trường Thắng, huyện Thới Lai",,1791,Có\n'
        + 'Hộ dệt chiếu,Hộ kinh doanh,,"huyện Phong Điền, TP Cần Thơ",,7,Không\n'
    )  # fmt: skip
    # Text with Vietnamese separators survives a round trip through LibreOffice as text.
    xlsx = make_xlsx(
        HEADERS, [["Hộ làm bánh pía", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, "1.250", "Có"]]
    )
    converted = soffice_convert(tmp_path, {"co-so.csv": csv_text.encode("utf-8")})
    converted.update(soffice_convert(tmp_path / "x", {"banh-pia.xlsx": xlsx}))

    report = run(converted["co-so"], can_tho_officer)
    assert report.ok, report.errors
    saved = Beneficiary.objects.get(tax_code=code)
    assert saved.name == "Cơ sở cơ khí Ô Môn"
    assert saved.employees == 1791
    assert Beneficiary.objects.get(name="Hộ dệt chiếu").unit_at_time.full_name == "Huyện Phong Điền"

    report = run(converted["banh-pia"], can_tho_officer)
    assert report.ok, report.errors
    assert Beneficiary.objects.get(name="Hộ làm bánh pía").employees == 1250
    assert Beneficiary.objects.count() == 3


def test_a_decimal_number_where_a_whole_one_is_needed_is_rejected_clearly(reference_data, can_tho_officer):
    # "1.791" typed in a spreadsheet set to an English locale becomes the number 1.791.
    report = run(
        make_xlsx(HEADERS, [["Cơ sở", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, 1.791, None]]),
        can_tho_officer,
    )
    assert errors_of(report) == [(2, "Số lao động", "«1.791» không phải là số nguyên (ví dụ đúng: 1.250).")]
    assert Beneficiary.objects.count() == 0
