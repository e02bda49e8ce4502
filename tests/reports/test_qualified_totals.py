"""A total that adds up a figure stated loosely carries the word it was stated with, wherever it appears:
Hải Phòng's 2018 city budget is "trên 1.144.000.000", so its total is too (summary sentence, "Tổng cộng"
row, amount in words, chart label, Excel total), never a bare figure the article never stated."""

import io
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from places.models import AdministrativeUnit
from reports import exports
from reports.periods import Period
from reports.selectors.rows import combined_qualifier

pytestmark = pytest.mark.django_db

WORDS = "Trên một tỷ một trăm bốn mươi bốn triệu đồng"


@pytest.fixture
def seeded(loaded_places):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)


def hai_phong():
    return AdministrativeUnit.objects.current().provinces().get(code="31")


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_the_sum_of_figures_is_stated_as_loosely_as_its_loosest_kind():
    assert combined_qualifier(["exact", "exact"]) == "exact"
    assert combined_qualifier(["exact", "over"]) == "over"
    assert combined_qualifier(["over", "about"]) == "about"


def test_annual_pdf_keeps_trên_in_the_summary_total_words_and_chart(seeded):
    report = exports.annual(province=hai_phong(), period=Period(2018), fmt="pdf")
    text = pdf_text(report.content)
    assert "kinh phí được giao theo kế hoạch trên 1.144.000.000 đồng" in text
    assert "Tổng kinh phí được giao bằng chữ: " + WORDS in text
    total_row = next(line for line in text.split("Tổng cộng")[1:] if "1.144.000.000" in line[:200])
    assert "trên 1.144.000.000" in total_row[:200]
    assert "trên 1,14 tỷ" in text  # the chart's label of the allocated bar
    assert " 1.144.000.000 đồng" not in text.replace("trên 1.144.000.000 đồng", "")


def test_national_pdf_keeps_trên_for_the_province_and_the_total(seeded):
    text = pdf_text(exports.national(period=Period(2018), fmt="pdf").content)
    assert "trên 1.144.000.000" in text  # Hải Phòng's row
    # The national total adds Hải Phòng's "trên" figure to exact ones: the sum is "trên" too.
    assert "Tổng kinh phí được giao bằng chữ: Trên " in text


def test_workbook_total_keeps_its_formula_and_states_trên_beside_it(seeded):
    content = exports.annual(province=hai_phong(), period=Period(2018), fmt="xlsx").content
    ws = load_workbook(io.BytesIO(content))["Nguồn kinh phí"]
    rows = [[c for c in row] for row in ws.iter_rows(min_row=5)]
    header = [c.value for c in rows[0]]
    how, amount = header.index("Cách nêu số được giao"), header.index("Được giao theo kế hoạch")
    total = next(r for r in rows if r[1].value == "Tổng cộng")
    assert total[amount].data_type == "f" and total[amount].value.startswith("=SUM(")
    assert total[how].value == "trên"
    notes = [r[0].value for r in rows if isinstance(r[0].value, str)]
    assert any(WORDS in n for n in notes)
    assert any("trên 1.144.000.000 đồng" in n for n in notes)
    plans = [
        [c.value for c in row] for row in load_workbook(io.BytesIO(content))["Kế hoạch"].iter_rows(min_row=5)
    ]
    how = plans[0].index("Cách nêu số được giao")
    assert next(r for r in plans if "Tổng cộng" in r)[how] == "trên"

    national = load_workbook(io.BytesIO(exports.national(period=Period(2018), fmt="xlsx").content))
    for sheet in ("Theo tỉnh", "Nguồn kinh phí"):
        rows = [[c.value for c in row] for row in national[sheet].iter_rows(min_row=5)]
        how = rows[0].index("Cách nêu số được giao")
        total = next(r for r in rows if "Tổng cộng" in r)
        assert total[how] == "trên", sheet
