"""The PDF and Excel files: Vietnamese text that survives, the bundled font, formulas that add up to the
aggregates, and the layout rules of the workbook (frozen headers, đồng format, A4 fit to width)."""

import io
import logging
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from khuyencong.money import amount_in_words, format_dong
from reports import pdf, xlsx
from reports.periods import Period
from reports.selectors import annual_report, programme_report

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def report(world):
    return annual_report(province=world.province, period=Period(YEAR, quarter=3))


def test_annual_pdf_is_a_vietnamese_administrative_document_with_the_bundled_font(report, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = pdf.annual_pdf(report)
    assert content.startswith(b"%PDF")
    assert not [r for r in caplog.records if "cannot be loaded" in r.getMessage()]
    text = pdf_text(content, tmp_path)
    for heading in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ CÔNG THƯƠNG",
        "BÁO CÁO",
        "Kết quả thực hiện kế hoạch khuyến công quý III năm 2024",
        "KINH PHÍ THEO NGUỒN",
        "THEO ĐỊA BÀN THỰC HIỆN",
        "Huyện Phong Điền (trước 01/7/2025)",
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ):
        assert heading in text, heading
    assert format_dong(report.source_totals.planned) in text
    in_words = " ".join(text.split())
    assert amount_in_words(report.source_totals.planned) in in_words
    path = tmp_path / "report.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Liberation-Serif" in fonts and "Liberation-Serif-Bold" in fonts


def test_making_a_pdf_leaves_no_object_frozen_out_of_garbage_collection(report, monkeypatch):
    """The heap is frozen only while WeasyPrint works (reports.pdf._heap_frozen), also when the render fails."""
    import gc

    pdf.annual_pdf(report)
    assert gc.get_freeze_count() == 0

    def broken(*args, **kwargs):
        assert gc.get_freeze_count() > 0
        raise RuntimeError("template")

    monkeypatch.setattr(pdf, "render_to_string", broken)
    with pytest.raises(RuntimeError):
        pdf.annual_pdf(report)
    assert gc.get_freeze_count() == 0


def test_table_headers_repeat_but_the_total_row_appears_once(world, tmp_path):
    from projects.models import Project
    from reports.selectors import project_list

    report = project_list(projects=Project.objects.all(), description="tất cả đề án")
    text = pdf_text(pdf.project_list_pdf(report), tmp_path)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert all("Tổng dự toán" in page for page in pages)  # the header row, on every page
    assert text.count("Tổng cộng") == 1


def test_programme_pdf_shows_targets_ranges_and_total_in_words(world, tmp_path):
    report = programme_report(programme=world.programme)
    text = " ".join(pdf_text(pdf.programme_pdf(report), tmp_path).split())
    assert "Tiến độ thực hiện chương trình khuyến công" in text
    assert "100–200" in text
    assert "9.000.000.000" in text
    assert amount_in_words(9_000_000_000) in text


def _cells(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def _evaluate_sum(ws, formula: str) -> int:
    """Evaluate =SUM(C6:C12) over the values written in the sheet (openpyxl does not compute formulas)."""
    ref = formula[len("=SUM(") : -1]
    total = 0
    for row in ws[ref]:
        for cell in row:
            total += cell.value or 0
    return total


def test_workbook_totals_are_sum_formulas_equal_to_the_aggregates(report):
    wb = load_workbook(io.BytesIO(xlsx.annual_xlsx(report, issuer="SỞ CÔNG THƯƠNG")))
    ws = wb["Nguồn kinh phí"]
    rows = _cells(ws)
    header = rows[4]
    total_row = next(r for r in rows if r[1] == "Tổng cộng")
    expected = {
        "Dự toán đề án": report.source_totals.planned,
        "Được giao theo kế hoạch": report.source_totals.allocated,
        "Tạm ứng": report.source_totals.advanced,
        "Giải ngân": report.source_totals.disbursed,
        "Giải ngân trong kỳ": report.source_totals.disbursed_in_period,
        "Quyết toán": report.source_totals.settled,
    }
    for title, amount in expected.items():
        formula = total_row[header.index(title)]
        assert formula.startswith("=SUM(")
        assert _evaluate_sum(ws, formula) == amount, title
    contents = wb["Nội dung"]
    total = next(r for r in _cells(contents) if r[1] == "Tổng cộng")
    assert _evaluate_sum(contents, total[3]) == report.content_planned_total


def test_workbook_layout_follows_the_paper_forms(report):
    wb = load_workbook(io.BytesIO(xlsx.annual_xlsx(report, issuer="SỞ CÔNG THƯƠNG")))
    assert wb.sheetnames[:3] == ["Kế hoạch", "Trạng thái", "Nguồn kinh phí"]
    for ws in wb.worksheets:
        assert len(ws.title) <= 31
        assert ws.freeze_panes == "A6"
        assert ws.print_title_rows == "$5:$5"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert any(str(r).startswith("A2:") for r in ws.merged_cells.ranges)
    ws = wb["Nguồn kinh phí"]
    planned_cell = ws.cell(row=6, column=3)
    assert planned_cell.number_format == "#,##0"
    assert ws.column_dimensions["B"].width >= 40


def test_sheet_titles_are_cut_to_excel_limits():
    assert xlsx.sheet_title("Kinh phí theo nguồn: dự toán/giao [2025]?") == "Kinh phí theo nguồn dự toán gia"
    assert len(xlsx.sheet_title("x" * 40)) == 31


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook_and_computes_the_same_totals(report, tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(xlsx.annual_xlsx(report, issuer="SỞ CÔNG THƯƠNG"))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    computed = load_workbook(out / "bao-cao.xlsx", data_only=True)
    rows = _cells(computed["Nguồn kinh phí"])
    header = rows[4]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[header.index("Dự toán đề án")] == report.source_totals.planned
    assert total[header.index("Giải ngân")] == report.source_totals.disbursed
    assert total[header.index("Quyết toán")] == report.source_totals.settled
