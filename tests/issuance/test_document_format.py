"""The issued PDF as Nghị định 30/2020/NĐ-CP and an archive want it: A4 with the decree's margins, the
bundled Times New Roman–metric font for every Vietnamese letter, every font embedded, PDF/A metadata and
tags for screen readers."""

from __future__ import annotations

import datetime
import re
import subprocess
import unicodedata

import pytest
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from issuance import services
from reports import document
from reports.pdf import render_pdf

from .conftest import YEAR, token

pytestmark = pytest.mark.django_db

LOWER = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
VIETNAMESE = LOWER + LOWER.upper()
BUNDLED = ("Regular", "Bold", "Italic", "BoldItalic")


def _run(tool: str, path, *args) -> str:
    tail = ["-"] if tool == "pdftotext" else []
    return subprocess.run([tool, *args, str(path), *tail], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("style", BUNDLED)
def test_the_bundled_font_has_every_vietnamese_letter(style):
    font = TTFont(finders.find(f"fonts/LiberationSerif-{style}.ttf"))
    cmap = font.getBestCmap()
    missing = [c for c in VIETNAMESE if ord(c) not in cmap]
    assert not missing, missing
    assert font["name"].getDebugName(1) == "Liberation Serif"


def test_every_vietnamese_letter_renders_with_the_bundled_font_only(tmp_path, settings):
    """Precomposed and decomposed (NFD) text, upright and italic, bold: pdftotext gives each letter back and
    pdffonts lists only the bundled, embedded family (no silent fallback to another font)."""
    head = document.DocumentHead(
        superior="UBND",
        body="SỞ",
        number="Số:",
        place="Cần Thơ",
        year=YEAR,
        signer_role="GIÁM ĐỐC",
        signer_hint="",
    )
    spaced = " ".join(VIETNAMESE)  # words that wrap
    head.addressees = [spaced, unicodedata.normalize("NFD", spaced)]
    text = unicodedata.normalize("NFD", spaced)
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(
        render_pdf(
            "reports/pdf/base.html",
            {"head": head, "title": text, "generated_on": None},
            stamp=document.IssueStamp(
                number="Số: 01/BC-SCT", date=datetime.date(2026, 2, 5), signer_name=text
            ),
        )
    )
    fonts = _run("pdffonts", path).splitlines()[2:]
    assert fonts and all(line.split()[0].split("+")[-1].startswith("Liberation-Serif") for line in fonts), (
        fonts
    )
    assert all(" yes yes yes " in line for line in fonts), fonts
    extracted = unicodedata.normalize("NFC", _run("pdftotext", path))
    for letter in VIETNAMESE:
        assert letter in extracted, letter
    assert "ngày 05 tháng 02 năm 2026" in extracted  # a leading zero below 10, and for months 1 and 2


def test_issued_pdf_is_a4_archival_tagged_and_embeds_every_font(world, tmp_path):
    issued = services.report_issue(
        actor=world.leader,
        kind="annual",
        params={"province": world.province.code, "period": str(YEAR)},
        request_token=token(),
    )
    path = tmp_path / "issued.pdf"
    path.write_bytes(bytes(issued.pdf))
    info = _run("pdfinfo", path)
    assert re.search(r"Tagged:\s+yes", info), info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    xmp = _run("pdfinfo", path, "-meta")
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp, xmp
    fonts = _run("pdffonts", path).splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts), fonts
    assert all("Liberation-Serif" in line for line in fonts), fonts
    # The left margin of NĐ 30/2020 (30–35 mm): no text starts left of 30 mm (85 pt).
    bbox = _run("pdftotext", path, "-bbox")
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)]
    assert min(lefts) >= 85.0 - 0.5
    text = _run("pdftotext", path, "-layout")
    assert "Số: 01/BC-SCT" in text and "Kính gửi:" in text and "Nơi nhận:" in text
    assert issued.pretty_code in text
