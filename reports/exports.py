"""One entry point from a report request to a downloadable file, used by the views and by `build_report`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from places.models import AdministrativeUnit
from programs.models import Programme

from . import pdf, selectors, xlsx
from .periods import Period

PDF = "pdf"
XLSX = "xlsx"
FORMATS = (PDF, XLSX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content_type: str
    content: bytes


def _issuer(province: AdministrativeUnit | None) -> str:
    head = pdf.head_for(province, subject="")
    return f"{head.superior} — {head.body}"


def _file(stem: str, fmt: str, content: bytes) -> ReportFile:
    return ReportFile(f"{slugify(stem)}.{fmt}", CONTENT_TYPES[fmt], content)


def annual(*, province: AdministrativeUnit, period: Period, fmt: str, user=None) -> ReportFile:
    report = selectors.annual_report(province=province, period=period, user=user)
    content = pdf.annual_pdf(report) if fmt == PDF else xlsx.annual_xlsx(report, issuer=_issuer(province))
    return _file(f"bao-cao-khuyen-cong-{province.code}-{period.slug}", fmt, content)


def programme(*, programme: Programme, fmt: str, user=None) -> ReportFile:
    report = selectors.programme_report(programme=programme, user=user)
    province = programme.province.today_province() if programme.province_id else None
    content = (
        pdf.programme_pdf(report) if fmt == PDF else xlsx.programme_xlsx(report, issuer=_issuer(province))
    )
    return _file(f"tien-do-chuong-trinh-{programme.code}", fmt, content)


def national(*, period: Period, fmt: str, user=None) -> ReportFile:
    report = selectors.national_report(period=period, user=user)
    content = pdf.national_pdf(report) if fmt == PDF else xlsx.national_xlsx(report, issuer=_issuer(None))
    return _file(f"bao-cao-khuyen-cong-toan-quoc-{period.slug}", fmt, content)


def national_programme(*, year: int, fmt: str, user=None) -> ReportFile:
    """Plan vs execution of the national programme in a year, by province, implementing unit, content, source."""
    report = selectors.national_programme_report(year=year, user=user)
    content = (
        pdf.national_programme_pdf(report)
        if fmt == PDF
        else xlsx.national_programme_xlsx(report, issuer=_issuer(None))
    )
    return _file(f"bao-cao-khuyen-cong-quoc-gia-{year}", fmt, content)


def project_list(
    *, projects: QuerySet, description: str, fmt: str, province: AdministrativeUnit | None = None
) -> ReportFile:
    """Đề án list for a queryset already filtered and scoped by the caller."""
    report = selectors.project_list(projects=projects, description=description)
    if fmt == PDF:
        content = pdf.project_list_pdf(report, province=province)
    else:
        content = xlsx.project_list_xlsx(report, issuer=_issuer(province))
    return _file("danh-sach-de-an", fmt, content)


def project_list_to_file(
    *,
    projects: QuerySet,
    description: str,
    path,
    province: AdministrativeUnit | None = None,
    chunk: int = 2000,
) -> str:
    """The đề án list as .xlsx written to `path` in constant memory (rows read a chunk at a time and streamed
    into a write-only sheet); returns the file name to offer. Used for lists too long for a web request."""
    from jobs import progress

    total = projects.count()
    progress.report(done=0, total=total, message=_("Đang ghi danh sách đề án"), force=True)

    def rows():
        for row in selectors.lists.iter_project_rows(projects, chunk=chunk):
            progress.report(advance=1)
            yield row

    workbook = xlsx.project_list_workbook(
        sources=selectors.lists._sources(),
        has_unnamed_source=selectors.lists.has_unnamed_source(projects),
        description=description,
        rows=rows(),
        issuer=_issuer(province),
    )
    progress.report(message=_("Đang nén tệp Excel"), force=True)
    workbook.save_to(path)
    return _file("danh-sach-de-an", XLSX, b"").filename


def support_history(
    *, projects: QuerySet, description: str, fmt: str, kind=None, province: AdministrativeUnit | None = None
) -> ReportFile:
    """Support history of the beneficiaries of a queryset of đề án already filtered and scoped by the caller."""
    report = selectors.support_history(projects=projects, description=description, kind=kind)
    if fmt == PDF:
        content = pdf.support_history_pdf(report, province=province)
    else:
        content = xlsx.support_history_xlsx(report, issuer=_issuer(province))
    return _file("lich-su-ho-tro-co-so", fmt, content)
