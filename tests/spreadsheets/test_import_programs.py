"""Importing programme targets and historic outputs."""

import io

import pytest

from programs.models import HistoricOutput, ProgrammeTarget
from spreadsheets.engine import run_import
from tests.factories import ProgrammeFactory, indicator

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

TARGETS = [
    "Mã chương trình",
    "Chỉ tiêu",
    "Diễn giải",
    "Giá trị tối thiểu",
    "Giá trị tối đa",
    "Cách nêu",
    "Đơn vị tính",
]
OUTPUTS = ["Tỉnh/thành phố", "Từ năm", "Đến năm", "Chỉ tiêu", "Giá trị", "Cách nêu", "Diễn giải"]


def run(kind, headers, rows, actor, commit=True):
    return run_import(kind=kind, source=io.BytesIO(make_xlsx(headers, rows)), actor=actor, commit=commit)


def test_targets_are_written_matched_and_checked(reference_data, can_tho_officer, can_tho, hai_phong):
    programme = ProgrammeFactory(code="ct-can-tho-2026-2030", province=can_tho)
    ProgrammeFactory(code="ct-hai-phong", province=hai_phong)
    trained = indicator("trainees")
    rows = [
        [
            "ct-can-tho-2026-2030",
            "trainees",
            "500–1000 lượt cán bộ được đào tạo",
            "500",
            "1.000",
            "khoảng",
            "lượt",
        ],
        ["CT-CAN-THO-2026-2030", None, "Hỗ trợ trên 100 cơ sở CNNT", 100, None, "trên", "cơ sở"],
    ]
    report = run("targets", TARGETS, rows, can_tho_officer)
    assert report.ok and report.committed, report.errors
    first = ProgrammeTarget.objects.get(indicator=trained)
    assert (first.programme, first.min_value, first.max_value, first.qualifier) == (
        programme,
        500,
        1000,
        "about",
    )
    assert ProgrammeTarget.objects.get(indicator=None).qualifier == "over"

    again = run("targets", TARGETS, rows, can_tho_officer)
    assert (again.totals.unchanged, again.totals.new) == (2, 0)

    bad = [
        ["ct-hai-phong", None, "Chỉ tiêu của tỉnh khác", 1, None, None, None],
        ["ct-can-tho-2026-2030", None, "Khoảng ngược", 900, 100, None, None],
        ["ct-khong-co", None, "Không có chương trình", 1, None, None, None],
        ["ct-can-tho-2026-2030", None, "Cách nêu lạ", 1, None, "xấp xỉ", None],
    ]
    report = run("targets", TARGETS, bad, can_tho_officer)
    found = {(e.row, e.column): e.message for e in report.errors}
    # Another province's programme is answered exactly as one that exists nowhere.
    assert found[(2, "Mã chương trình")] == "Không có chương trình mã «ct-hai-phong»."
    assert found[(3, "Giá trị tối đa")] == "Giá trị tối đa (100) nhỏ hơn tối thiểu (900)."
    assert found[(4, "Mã chương trình")] == "Không có chương trình mã «ct-khong-co»."
    assert found[(5, "Cách nêu")].startswith("«xấp xỉ» không có trong danh mục")
    assert ProgrammeTarget.objects.count() == 2


def test_historic_outputs_accept_old_provinces_and_refuse_reversed_periods(reference_data, can_tho_officer):
    indicator("trainees")
    rows = [
        ["tỉnh Hậu Giang", 2013, 2022, "trainees", "22.000", "gần", "Gần 22.000 lao động được đào tạo"],
        ["Thành phố Cần Thơ", 2022, 2018, "trainees", 5, None, "Năm ngược"],
        ["Hà Nội", 2013, 2022, "trainees", 625, None, "Tỉnh khác"],
    ]
    report = run("outputs", OUTPUTS, rows, can_tho_officer)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(3, "Đến năm")] == "Năm kết thúc (2018) trước năm bắt đầu (2022)."
    assert found[(4, "Tỉnh/thành phố")].startswith("Thuộc Thành phố Hà Nội, ngoài phạm vi tỉnh của bạn")
    assert HistoricOutput.objects.count() == 0

    report = run("outputs", OUTPUTS, rows[:1], can_tho_officer)
    assert report.committed, report.errors
    saved = HistoricOutput.objects.get()
    assert (saved.province.full_name, saved.province.era, saved.value, saved.qualifier) == (
        "Tỉnh Hậu Giang", "old", 22_000, "nearly",
    )  # fmt: skip
