"""Workbooks as provincial offices make them, saved by LibreOffice (.xlsx and .ods): a cover sheet first, a
merged title and a "Kèm theo Công văn…" line above the header, every commune of the template for two
provinces, text typed in TCVN3 and VNI, a column the portal does not know; the expected values are saved."""

import io

import pytest
from openpyxl import Workbook

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from spreadsheets.engine import run_import
from spreadsheets.template_files import place_options
from tests.factories import UserFactory

from .conftest import soffice_convert

pytestmark = pytest.mark.django_db

HEADERS = [
    "Tên cơ sở (*)", "Loại hình (*)", "Mã số thuế", "Xã/phường (*)", "Người đại diện", "Ngành nghề",
    "Số lao động", "Ghi chú nội bộ",
]  # fmt: skip
FAMILY_FIRST = ["Nguyễn Thị Lan", "Lê Văn Cường", "Trần Thống", "Phạm Ngọc Ánh", "Đỗ Văn An"]
# (as typed in the legacy font, as it must be saved)
LEGACY_ROWS = [
    ("C¬ së mµnh tre Th¾ng", "NguyÔn ThÞ Lan", "x· Tr\xadêng Th¾ng, huyÖn Thíi Lai, TP CÇn Th¬"),
    ("Cô sôû maây tre ñan", "Nguyeãn Thò Lan", "Xaõ Tröôøng Thaéng, huyeän Thôùi Lai, TP Caàn Thô"),
]
LEGACY_SAVED = [
    ("Cơ sở mành tre Thắng", "Nguyễn Thị Lan"),
    ("Cơ sở mây tre đan", "Nguyễn Thị Lan"),
]


def office_workbook(communes: list[str]) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Bìa"
    cover.append(["ỦY BAN NHÂN DÂN"])
    cover.append(["SỞ CÔNG THƯƠNG"])
    cover.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2026"])
    cover.append(["Tên cơ sở", "Ghi chú"])  # a word of a header on the cover does not make it the data sheet
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN"])
    sheet.merge_cells("A1:H1")
    sheet.append(["(Kèm theo Công văn số 123/SCT-QLCN ngày 02/3/2026 của Sở Công Thương)"])
    sheet.merge_cells("A2:H2")
    sheet.append([])
    sheet.append(HEADERS)
    for number, commune in enumerate(communes, start=1):
        person = FAMILY_FIRST[number % len(FAMILY_FIRST)]
        sheet.append(
            [f"Cơ sở số {number}", "Hộ kinh doanh", None, commune, person, "Mây tre", number, "nội bộ"]
        )
    for name, person, place in LEGACY_ROWS:
        sheet.append([name, "Hộ kinh doanh", None, place, person, None, 3, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def national_admin(db):
    return UserFactory(username="quantri_quocgia", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_libreoffice_workbook_with_title_cover_two_provinces_and_legacy_text_imports(
    fmt, tmp_path, reference_data, national_admin, can_tho, hai_phong
):
    communes = place_options(can_tho) + place_options(hai_phong)
    assert len(communes) > 200
    saved_by_libreoffice = soffice_convert(tmp_path, {"co-so.xlsx": office_workbook(communes)}, to=fmt)[
        "co-so"
    ]
    if fmt == "ods":
        assert saved_by_libreoffice[30:80].startswith(b"mimetypeapplication/vnd.oasis.opendocument")

    # Checked without conversion: only the legacy text is refused, each value with its right encoding.
    report = run_import(
        kind="beneficiaries", source=io.BytesIO(saved_by_libreoffice), actor=national_admin, commit=False
    )
    assert not report.file_errors
    legacy_rows = {len(communes) + 5: "TCVN3", len(communes) + 6: "VNI"}
    assert {e.row for e in report.errors} == set(legacy_rows)
    for error in report.errors:
        assert f"bảng mã cũ {legacy_rows[error.row]}" in error.message
    assert {e.column for e in report.errors} == {"Tên cơ sở", "Xã/phường", "Người đại diện"}
    assert "chuyển sang Unicode là «Nguyễn Thị Lan»" in " ".join(e.message for e in report.errors)
    preview = report.previews[0]
    assert preview["sheet"] == "Cơ sở CNNT" and preview["header_row"] == 4
    assert preview["ignored_columns"] == ["Ghi chú nội bộ"]
    assert preview["samples"][0]["row"] == 5
    assert Beneficiary.objects.count() == 0

    # Converted, as the person agreed: everything is written.
    report = run_import(
        kind="beneficiaries",
        source=io.BytesIO(saved_by_libreoffice),
        actor=national_admin,
        commit=True,
        convert_legacy=True,
    )
    assert report.ok, report.errors[:5]
    assert report.committed and report.totals.new == len(communes) + 2
    assert {item["converted"] for item in report.legacy} >= {"Nguyễn Thị Lan", "Cơ sở mây tre đan"}

    expected = {}
    for province in (can_tho, hai_phong):
        for unit in (
            AdministrativeUnit.objects.current().communes().filter(province=province).order_by("name")
        ):
            expected[f"{unit.full_name}, {province.full_name}"] = unit.pk
    saved = {b.name: b for b in Beneficiary.objects.select_related("unit_at_time")}
    for number, commune in enumerate(communes, start=1):
        beneficiary = saved[f"Cơ sở số {number}"]
        assert beneficiary.unit_at_time_id == expected[commune], commune
        assert beneficiary.representative == FAMILY_FIRST[number % len(FAMILY_FIRST)]
        assert beneficiary.employees == number
        assert beneficiary.province_id == (can_tho if commune.endswith("Cần Thơ") else hai_phong).pk
    for name, person in LEGACY_SAVED:
        beneficiary = saved[name]
        assert beneficiary.representative == person
        assert beneficiary.unit_at_time.full_name == "Xã Trường Thắng"
        assert beneficiary.unit_at_time.era == AdministrativeUnit.Era.OLD
        assert beneficiary.province_id == can_tho.pk


def test_a_project_workbook_with_a_cover_sheet_and_titles_above_each_table_imports(
    reference_data, can_tho_officer, can_tho
):
    import datetime

    from projects.models import BudgetLine, Project
    from tests.factories import AnnualPlanFactory

    AnnualPlanFactory(province=can_tho, year=2026, kind="kcdp")
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Trang bìa"
    cover.append(["KẾ HOẠCH KHUYẾN CÔNG NĂM 2026"])
    tables = {
        "Đề án": (
            ["Mã đề án", "Tên đề án", "Năm kế hoạch", "Loại đề án", "Nội dung", "Địa bàn", "Ngày bắt đầu"],
            ["CT-2026-07", "Đào tạo nghề mây tre", 2026, "KCĐP", "1", "Xã Thới Lai, Thành phố Cần Thơ",
             datetime.datetime(2026, 3, 1)],  # noqa: DTZ001 - an Excel date cell is naive
        ),
        "Dự toán": (
            ["Mã đề án", "Nội dung", "Nguồn kinh phí", "Khoản chi", "Số tiền (đồng)"],
            ["CT-2026-07", 1, "KC địa phương", "Thuê giảng viên", "12.000.000"],
        ),
    }  # fmt: skip
    for title, (headers, row) in tables.items():
        sheet = workbook.create_sheet(title)
        sheet.append([f"BIỂU: {title.upper()}"])
        sheet.merge_cells("A1:E1")
        sheet.append(["Kèm theo Công văn số 12/SCT-KC ngày 05/01/2026"])
        sheet.append(headers)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(
        kind="projects", source=io.BytesIO(buffer.getvalue()), actor=can_tho_officer, commit=True
    )
    assert report.ok, (report.file_errors, report.errors)
    project = Project.objects.get(code="CT-2026-07")
    assert [(s.full_name, s.era) for s in project.sites.all()] == [("Xã Thới Lai", "new")]
    assert BudgetLine.objects.get(project=project).amount == 12_000_000
    assert [p["header_row"] for p in report.previews] == [3, 3]
