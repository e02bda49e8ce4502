"""`build_report` makes the same files from the command line (for schedules)."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_annual_quarter_workbook_from_the_command_line(world, tmp_path):
    out = tmp_path / "q3.xlsx"
    call_command(
        "build_report",
        "annual",
        "--province",
        world.province.code,
        "--year",
        str(YEAR),
        "--quarter",
        "3",
        "--format",
        "xlsx",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(out)["Nguồn kinh phí"]
    assert sheet["A3"].value.startswith("Kỳ báo cáo: quý III năm 2024")
    assert sheet["H5"].value == "Giải ngân trong kỳ"


def test_programme_and_national_pdfs_from_the_command_line(world, tmp_path):
    for args in (["programme", "--programme", str(world.programme.pk)], ["national", "--year", str(YEAR)]):
        out = tmp_path / f"{args[0]}.pdf"
        call_command("build_report", *args, "--format", "pdf", "--output", str(out), stdout=io.StringIO())
        assert out.read_bytes().startswith(b"%PDF")


def test_unknown_province_is_a_clear_error(world, tmp_path):
    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("build_report", "annual", "--province", "999", "--year", "2024", stdout=io.StringIO())
