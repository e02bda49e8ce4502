"""PDF rendering with WeasyPrint: the report templates, the bundled fonts, and nothing fetched over HTTP."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from khuyencong.money import format_dong

from . import charts, document


def _static_file(relative: str) -> Path:
    found = finders.find(relative)
    if found:
        return Path(found)
    return Path(settings.STATIC_ROOT) / relative


def _local_fetcher():
    """A fetcher for the portal's own static files only: no HTTP (a worker fetching from itself waits out its
    timeout and silently changes font), no other file on the machine."""
    from weasyprint.urls import URLFetcher

    root = _static_file("css/report.css").resolve().parent.parent

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(root):
                raise ValueError(_("Báo cáo PDF chỉ dùng tệp tĩnh của cổng: %(url)s") % {"url": url})
            return super().fetch(url, headers)

    return LocalStaticFetcher(allowed_protocols={"file"})


# An issued report is an archival PDF that screen readers can read: PDF/A-2 at level A (tagged structure,
# Unicode text); part 2 rather than part 1 (TCVN 14159-1:2024) because PAdES signatures need PDF 1.7. README.
ISSUED_PDF_VARIANT = "pdf/a-2a"

# Where the renderer looks for the places of the signatures (ids in templates/reports/pdf/base.html).
SIGNATURE_ANCHORS = ("chu-ky-nguoi-ky",)


@contextlib.contextmanager
def _heap_frozen():
    """Leave the objects the process already holds (Django, the report's rows) out of garbage collection
    while a PDF is made: WeasyPrint makes hundreds of thousands of objects, and each full collection they set
    off would walk the whole heap again (a fifth of the national programme report's build time). Its own
    objects are still collected; what was frozen is collectable again afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_pdf(
    template_name: str, context: dict[str, Any], *, stamp: document.IssueStamp | None = None
) -> bytes:
    """Render a report template to PDF bytes, A4, with the bundled Liberation Serif.

    With a `stamp` (an issued report) the number, date and signer are filled, the verification code and QR
    code printed, the file is PDF/A and tagged, and `stamp.anchors` records where the signatures go."""
    with _heap_frozen():
        return _render_pdf(template_name, context, stamp=stamp)


def _render_pdf(template_name: str, context: dict[str, Any], *, stamp: document.IssueStamp | None) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if stamp is not None and "head" in context:
        stamp.apply(context["head"])
        context = {**context, "stamp": stamp, "qr_svg": mark_safe(stamp.qr_svg)}  # noqa: S308 (segno's SVG)
    footer = context["head"].footer if "head" in context else ""
    footer_css = footer.replace("\\", "\\\\").replace('"', '\\"').replace("<", "").replace("\n", " ")
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    html = render_to_string(template_name, {**context, "footer_css": mark_safe(footer_css)})  # noqa: S308
    font_config = FontConfiguration()
    fetcher = _local_fetcher()
    stylesheet = CSS(
        filename=str(_static_file("css/report.css")), font_config=font_config, url_fetcher=fetcher
    )
    stylesheets = [stylesheet]
    if stamp is not None:
        stylesheets.append(CSS(filename=str(_static_file("css/issued.css")), font_config=font_config))
    document_ = HTML(
        string=html,
        base_url=_static_file("css/report.css").parent.as_uri() + "/",
        url_fetcher=fetcher,
    )
    if stamp is None:
        return document_.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    rendered = document_.render(stylesheets=stylesheets, font_config=font_config, pdf_tags=True)
    for number, page in enumerate(rendered.pages):
        for name, (x, y, *_end) in page.anchors.items():
            if name in SIGNATURE_ANCHORS:
                # CSS pixels from the top left -> PDF points from the bottom left.
                height_pt = page.height * 0.75
                stamp.anchors[name] = (number, round(x * 0.75, 2), round(height_pt - y * 0.75, 2))
    return rendered.write_pdf(pdf_variant=ISSUED_PDF_VARIANT, pdf_tags=True)


def _chart_labels() -> dict[str, str]:
    return {
        "planned": _("Dự toán"),
        "allocated": _("Được giao"),
        "disbursed": _("Giải ngân"),
        "settled": _("Quyết toán"),
    }


def annual_pdf(report, *, stamp: document.IssueStamp | None = None) -> bytes:
    subject = _("Báo cáo kết quả thực hiện kế hoạch khuyến công %(period)s — %(province)s") % {
        "period": report.period.label,
        "province": report.province.full_name,
    }
    return render_pdf(
        "reports/pdf/annual.html",
        {
            "report": report,
            "title": subject,
            "head": document.for_province(report.province, subject=subject),
            "province_name": document.in_sentence(report.province.full_name),
            "generated_on": report.generated_on,
            "source_chart": charts.source_chart(
                report.by_source, title=_("Kinh phí theo nguồn (đồng)"), labels=_chart_labels()
            ),
            "content_chart": charts.content_chart(
                report.by_content, title=_("Dự toán theo nội dung hoạt động (đồng)"), label=_("Dự toán")
            ),
        },
        stamp=stamp,
    )


def head_for(province, *, subject: str):
    """The issuing body: the province's Sở Công Thương, or the Ministry's department for national reports."""
    if province is None:
        return document.for_ministry(subject=subject)
    return document.for_province(province, subject=subject)


def programme_pdf(report, *, stamp: document.IssueStamp | None = None) -> bytes:
    programme = report.programme
    province = programme.province.today_province() if programme.province_id else None
    subject = _("Báo cáo tiến độ chương trình khuyến công — %(name)s") % {"name": programme.name}
    year_totals = [sum(r.allocated_by_year[y] for r in report.budget_rows) for y in report.years]
    chart_rows = [r for r in report.budget_rows if r.programme_budget or r.allocated or r.disbursed]
    budget_chart = charts.grouped_hbar(
        [r.short_name or r.name for r in chart_rows],
        [
            charts.Series(_("Kinh phí chương trình"), [r.programme_budget or 0 for r in chart_rows]),
            charts.Series(_("Được giao"), [r.allocated for r in chart_rows]),
            charts.Series(_("Giải ngân"), [r.disbursed for r in chart_rows]),
        ],
        title=_("Kinh phí theo nguồn (đồng)"),
    )
    return render_pdf(
        "reports/pdf/programme.html",
        {
            "report": report,
            "title": subject,
            "head": head_for(province, subject=subject),
            "generated_on": report.generated_on,
            "year_totals": year_totals,
            "budget_chart": budget_chart,
        },
        stamp=stamp,
    )


def national_pdf(report, *, stamp: document.IssueStamp | None = None) -> bytes:
    subject = _("Báo cáo kết quả thực hiện khuyến công %(period)s — toàn quốc") % {
        "period": report.period.label
    }
    return render_pdf(
        "reports/pdf/national.html",
        {
            "report": report,
            "title": subject,
            "head": document.for_ministry(subject=subject),
            "generated_on": report.generated_on,
            "source_chart": charts.source_chart(
                report.by_source, title=_("Kinh phí theo nguồn (đồng)"), labels=_chart_labels()
            ),
        },
        stamp=stamp,
    )


# A PDF of thousands of rows takes tens of seconds; the workbook carries the full list.
PDF_LIST_LIMIT = 1000


def project_list_pdf(report, *, province=None) -> bytes:
    subject = _("Danh sách đề án khuyến công — %(filter)s") % {"filter": report.description}
    source_ids = [s.pk for s in report.sources] + ([None] if report.has_unnamed_source else [])
    source_names = [s.short_name for s in report.sources] + (
        [_("Không nêu nguồn")] if report.has_unnamed_source else []
    )
    rows = [
        {"row": r, "amounts": [r.by_source.get(s, 0) for s in source_ids]}
        for r in report.rows[:PDF_LIST_LIMIT]
    ]
    return render_pdf(
        "reports/pdf/project_list.html",
        {
            "report": report,
            "title": subject,
            "head": head_for(province, subject=subject),
            "generated_on": report.generated_on,
            "rows": rows,
            "truncated": len(report.rows) > PDF_LIST_LIMIT,
            "limit": PDF_LIST_LIMIT,
            "source_names": source_names,
            "source_totals": [report.total_by_source.get(s, 0) for s in source_ids],
        },
    )


def support_history_pdf(report, *, province=None) -> bytes:
    subject = _("Lịch sử hỗ trợ cơ sở thụ hưởng — %(filter)s") % {"filter": report.description}
    return render_pdf(
        "reports/pdf/support_history.html",
        {
            "report": report,
            "title": subject,
            "head": head_for(province, subject=subject),
            "generated_on": report.generated_on,
        },
    )


# A PDF page holds about 25 rows and WeasyPrint needs about 1 s and 20 MB a page: the national programme's
# thousands of đề án (4.734 in a year of the national dataset) would make a 200-page file built in minutes.
PDF_PROJECT_ROWS = 100


def national_programme_sections(report, *, project_limit: int | None = None) -> list[dict]:
    """The report's tables in order, each with its columns: the PDF and the workbook print the same ones.

    With `project_limit` (the PDF), the list of đề án shows only that many, those with the most planned
    money (in the list's order), with a note; its total row still adds up every đề án. The workbook lists all.
    """
    all_money = ["plan", "estimate", "advanced", "disbursed", "settled"]
    headers = {
        "plan": _("Kế hoạch (QĐ của Bộ trưởng)"),
        "estimate": _("Dự toán đề án đã duyệt"),
        "advanced": _("Tạm ứng"),
        "disbursed": _("Giải ngân"),
        "settled": _("Quyết toán"),
    }

    def section(heading, label, rows, fields, note="", total=None):
        if total is None:
            total = type(report.total)("", "")
            for row in rows:
                total.add(row)
        return {
            "heading": heading,
            "label": label,
            "rows": rows,
            "fields": fields,
            "headers": [headers[f] for f in fields],
            "total": total,
            "note": note,
        }

    def projects_section():
        rows = report.projects
        if project_limit is None or len(rows) <= project_limit:
            return section(_("V. DANH SÁCH ĐỀ ÁN"), _("Đề án"), rows, all_money)
        largest = set(map(id, sorted(rows, key=lambda r: (r.plan, r.estimate), reverse=True)[:project_limit]))
        all_total = type(report.total)("", "")
        for row in rows:
            all_total.add(row)
        note = _(
            "Bản PDF liệt kê %(shown)s đề án có kinh phí kế hoạch lớn nhất trong %(total)s đề án; dòng tổng cộng "
            "tính mọi đề án. Danh sách đầy đủ ở tệp Excel của cùng báo cáo."
        ) % {"shown": project_limit, "total": len(rows)}
        return section(
            _("V. DANH SÁCH ĐỀ ÁN"),
            _("Đề án"),
            [r for r in rows if id(r) in largest],
            all_money,
            note=note,
            total=all_total,
        )

    return [
        section(_("I. THEO TỈNH, THÀNH PHỐ"), _("Tỉnh, thành phố"), report.by_province, all_money),
        section(_("II. THEO ĐƠN VỊ THỰC HIỆN"), _("Đơn vị thực hiện"), report.by_unit, all_money),
        section(
            _("III. THEO NỘI DUNG HOẠT ĐỘNG"),
            _("Nội dung"),
            report.by_content,
            ["plan", "estimate"],
            _(
                "Tạm ứng, giải ngân và quyết toán được ghi theo nguồn, không theo nội dung. Một đề án có thể có "
                "nhiều nội dung nên tổng số đề án ở bảng này có thể lớn hơn số đề án."
            ),
        ),
        section(_("IV. THEO NGUỒN KINH PHÍ"), _("Nguồn kinh phí"), report.by_source, all_money),
        projects_section(),
    ]


# The national programme's tables are laid out with `table-layout: fixed` and the widths below: WeasyPrint's
# automatic layout measures every cell (narrowest and widest) before laying a table out, a sixth of the PDF's
# build time on the national dataset. A figure never wraps, so its column is as wide as its widest figure or
# the longest word of its heading, measured with the font's own advance widths; the name column takes the rest.
# Sizes as in css/report.css: (heading, figures) of table.data.money, and of table.data.list for the list of
# đề án (as in the PDF list of đề án: more of each name on a line); cells padded 3 pt each side, 0,6 pt rules.
MONEY_TABLE_PT = (9, 9)
LIST_TABLE_PT = (8.5, 8)
CELL_SIDES_PT = 2 * 3 + 0.6 + 0.5  # padding, the rule, and half a point to spare (rounding)
FONT_FILES = {False: "fonts/LiberationSerif-Regular.ttf", True: "fonts/LiberationSerif-Bold.ttf"}


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    """The advance width of every character of the bundled font, in font units, and the units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(_static_file(FONT_FILES[bold]), lazy=True)
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def text_width(text: str, *, size: float, bold: bool = False) -> float:
    """The width of a line of text in points (a character the font lacks counts as one em)."""
    advances, per_em = _advances(bold)
    return sum(advances.get(ord(c), per_em) for c in text) * size / per_em


def figure_column(heading: str, figures: list[str], bold_figures: list[str], *, sizes=MONEY_TABLE_PT) -> str:
    """The CSS width of a column of figures: its widest figure (the total row's in bold), or the longest word
    of its bold heading."""
    heading_pt, figure_pt = sizes
    widest = max(
        [text_width(word, size=heading_pt, bold=True) for word in heading.split()]
        + [text_width(f, size=figure_pt) for f in figures]
        + [text_width(f, size=figure_pt, bold=True) for f in bold_figures]
    )
    return f"{widest + CELL_SIDES_PT:.1f}pt"


def _national_programme_table(section: dict, *, listing: bool = False) -> dict:
    """A section of the report as the PDF prints it: figures formatted once, and the width of each column."""
    sizes = LIST_TABLE_PT if listing else MONEY_TABLE_PT
    fields = section["fields"]
    rows = [
        {
            "name": r.name,
            "detail": f"{r.key} — {r.province} — {r.unit} — {r.status}" if listing else "",
            "projects": str(r.projects),
            "money": [format_dong(getattr(r, f)) for f in fields],
        }
        for r in section["rows"]
    ]
    total = section["total"]
    total_money = [format_dong(getattr(total, f)) for f in fields]
    figure_widths = [
        figure_column(_("Số đề án"), [r["projects"] for r in rows], [str(total.projects)], sizes=sizes)
    ] + [
        figure_column(heading, [r["money"][i] for r in rows], [total_money[i]], sizes=sizes)
        for i, heading in enumerate(section["headers"])
    ]
    return {
        **section,
        "listing": listing,
        "rows": rows,
        "total": {"projects": str(total.projects), "money": total_money},
        "number_width": figure_column(_("STT"), [str(len(rows))], [], sizes=sizes),
        "figure_widths": figure_widths,
    }


def national_programme_pdf(report) -> bytes:
    subject = _("Báo cáo chương trình khuyến công quốc gia năm %(year)s") % {"year": report.year}
    sections = national_programme_sections(report, project_limit=PDF_PROJECT_ROWS)
    return render_pdf(
        "reports/pdf/national_programme.html",
        {
            "report": report,
            "title": subject,
            "head": document.for_ministry(subject=subject),
            "generated_on": report.generated_on,
            "sections": [
                *map(_national_programme_table, sections[:-1]),
                _national_programme_table(sections[-1], listing=True),
            ],
        },
    )
