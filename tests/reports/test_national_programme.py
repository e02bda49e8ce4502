"""The national-programme report: plan against execution by province, implementing unit, content and
source; the workbook's =SUM totals equal the PDF's totals; `build_report national-programme` writes both."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.roles import Role
from khuyencong.money import format_dong
from projects import services
from reports import pdf, xlsx
from reports.selectors import national_programme_report
from tests.factories import source
from tests.projects.conftest import advance_rules, build_world  # noqa: F401 (a fixture)
from tests.projects.test_national import DAY, approved_plan, national_project, to_cuc_review

from .test_files import _cells, _evaluate_sum, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_world(db, advance_rules):  # noqa: F811 (the fixture imported above)
    world = build_world()
    from programs.models import AnnualPlan
    from tests.factories import AnnualPlanFactory

    world.national_plan = AnnualPlanFactory(province=world.own.unit, year=2026, kind=AnnualPlan.Kind.NATIONAL)
    first = to_cuc_review(world, national_project(world, amount=300_000_000))
    second = to_cuc_review(world, national_project(world, amount=120_000_000))
    approved_plan(world, [first, second], total=900_000_000)
    services.project_contract(
        actor=world.cuc[Role.CUC_OFFICER], project=first, contract_number="1/HĐ", contract_date=DAY
    )
    services.project_start(actor=world.own.users[Role.CENTRE], project=first)
    advance = services.advance_request(
        actor=world.own.users[Role.CENTRE], project=first, source=source("kcqg"), amount=90_000_000
    )
    services.advance_decide(actor=world.cuc[Role.CUC_LEADER], advance=advance, approve=True)
    services.disbursement_record(
        actor=world.cuc[Role.CUC_OFFICER],
        project=first,
        source=source("kcqg"),
        amount=90_000_000,
        paid_on=datetime.date(2026, 3, 5),
        advance=advance,
    )
    return world


def test_the_report_puts_plan_against_execution(report_world):
    report = national_programme_report(year=2026)
    assert report.plan_total == 900_000_000
    assert report.total.plan == 420_000_000
    assert report.total.estimate == 420_000_000
    assert (report.total.advanced, report.total.disbursed, report.total.settled) == (
        90_000_000,
        90_000_000,
        0,
    )
    assert [r.projects for r in report.by_province] == [2]
    assert sum(r.plan for r in report.by_content) == 420_000_000


def test_a_province_user_sees_only_its_own_national_projects(report_world):
    other = national_programme_report(year=2026, user=report_world.other.users[Role.LEADER])
    assert other.total.projects == 0
    own = national_programme_report(year=2026, user=report_world.own.users[Role.LEADER])
    assert own.total.projects == 2


def test_the_workbook_totals_equal_the_pdf_totals(report_world, tmp_path):
    report = national_programme_report(year=2026)
    text = pdf_text(pdf.national_programme_pdf(report), tmp_path)
    pdf_totals = [
        [int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*", line)]
        for line in text.splitlines()
        if line.strip().startswith("Tổng cộng")
    ]
    book = load_workbook(io.BytesIO(xlsx.national_programme_xlsx(report, issuer="BỘ CÔNG THƯƠNG")))
    sheet_totals = []
    for ws in book.worksheets:
        rows = _cells(ws)
        total = next(r for r in rows if "Tổng cộng" in r)
        sheet_totals.append(
            [_evaluate_sum(ws, v) for v in total if isinstance(v, str) and v.startswith("=SUM(")]
        )
    assert len(pdf_totals) == len(sheet_totals) == 5
    assert pdf_totals == sheet_totals
    assert sheet_totals[0] == [2, 420_000_000, 420_000_000, 90_000_000, 90_000_000, 0]
    assert format_dong(420_000_000) in text


def test_build_report_writes_the_national_programme_report(report_world, tmp_path):
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"np.{fmt}"
        call_command(
            "build_report", "national-programme", "--year", "2026", "--format", fmt, "--output", str(out)
        )
        assert out.stat().st_size > 1000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_computes_the_same_totals_as_the_pdf(report_world, tmp_path):
    report = national_programme_report(year=2026)
    source_file = tmp_path / "kcqg.xlsx"
    source_file.write_bytes(xlsx.national_programme_xlsx(report, issuer="BỘ CÔNG THƯƠNG"))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(source_file)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    computed = load_workbook(tmp_path / "out" / "kcqg.xlsx", data_only=True)
    for ws in computed.worksheets:
        total = next(r for r in _cells(ws) if "Tổng cộng" in r)
        numbers = [v for v in total if isinstance(v, int | float)]
        t = report.total
        if ws.title == "Theo nội dung":
            assert numbers[-2:] == [t.plan, t.estimate], ws.title
        else:
            assert numbers[-5:] == [t.plan, t.estimate, t.advanced, t.disbursed, t.settled], ws.title


def test_the_pdf_lists_only_the_largest_projects_when_there_are_many_and_says_so(
    report_world, monkeypatch, tmp_path
):
    """Thousands of đề án would make a PDF of hundreds of pages: it lists the largest, totals them all and
    points to the workbook, which lists every đề án."""
    report = national_programme_report(year=2026)
    assert len(report.projects) == 2
    sections = pdf.national_programme_sections(report, project_limit=1)
    listed = sections[-1]
    assert [r.plan for r in listed["rows"]] == [max(r.plan for r in report.projects)]
    assert listed["total"].plan == report.total.plan == 420_000_000 and listed["total"].projects == 2
    assert "1 đề án" in listed["note"] and "Excel" in listed["note"]
    # Without a limit (the workbook) every đề án, no note.
    full = pdf.national_programme_sections(report)[-1]
    assert len(full["rows"]) == 2 and full["note"] == ""
    monkeypatch.setattr(pdf, "PDF_PROJECT_ROWS", 1)
    text = pdf_text(pdf.national_programme_pdf(report), tmp_path)
    assert "Danh sách đầy đủ ở tệp Excel" in " ".join(text.split())


def test_every_figure_fits_its_column_however_large(report_world, monkeypatch):
    """The tables are laid out with fixed column widths computed from the figures (reports.pdf.figure_column):
    no figure, bold total or heading word may run over its cell, even for sums of trillions."""
    from weasyprint import HTML

    report = national_programme_report(year=2026)
    for rows in (report.by_province, report.by_unit, report.by_content, report.by_source, report.projects):
        for row in rows:
            row.plan, row.estimate, row.settled = 987_654_321_098_765, 1, 44_444_444_444_444
    rendered = []

    def keep(self, *, stylesheets, font_config):
        rendered.append(self.render(stylesheets=stylesheets, font_config=font_config))
        return rendered[-1].write_pdf()

    monkeypatch.setattr(HTML, "write_pdf", keep)
    pdf.national_programme_pdf(report)
    cells = []

    def walk(box):
        if type(box).__name__ == "TableCellBox" and box.element.tag in ("td", "th"):
            cells.append(box)
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in rendered[0].pages:
        walk(page._page_box)
    largest = 0
    for cell in cells:
        left, right = cell.content_box_x(), cell.content_box_x() + cell.width
        for line in cell.children:
            for text in getattr(line, "children", None) or ():
                assert left - 0.01 <= text.position_x and text.position_x + text.width <= right + 0.01, text
                largest += getattr(text, "text", "") == format_dong(2 * 987_654_321_098_765)
    assert largest  # the plan total of the two đề án, in bold


def test_the_list_of_projects_names_each_projects_code_province_unit_and_status(report_world, tmp_path):
    report = national_programme_report(year=2026)
    text = " ".join(pdf_text(pdf.national_programme_pdf(report), tmp_path).split())
    for row in report.projects:
        assert f"{row.key} — {row.province} — {row.unit} — {row.status}" in text
