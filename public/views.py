"""The public transparency pages and open data files: no login, nothing personal, cacheable."""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from places.models import AdministrativeUnit

from . import opendata, selectors
from .caching import cached_province_figures, public_view

PAGE_SIZE = 50


def _year(request, years: list[int]) -> int:
    raw = request.GET.get("nam", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else 0


def _province(code: str) -> AdministrativeUnit:
    return get_object_or_404(AdministrativeUnit.objects.current().provinces(), code=code)


def _page(request) -> int:
    raw = request.GET.get("trang", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1


@public_view
def index(request):
    """The national picture: each province's published đề án and estimate for a year."""
    years = selectors.public_years()
    year = _year(request, years)
    picture = selectors.national_picture(year, figures=cached_province_figures)
    return render(request, "public/index.html", {"years": years, "year": year, "picture": picture})


@public_view(province=lambda request, kwargs: kwargs["code"])
def province_year(request, code: str, year: int):
    """A province's approved đề án of a year, with contents, unit, places, money by source and outputs."""
    province = _province(code)
    page = _page(request)
    total = selectors.count_in(province, year)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        raise Http404
    projects = selectors.province_projects(province, year, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render(
        request,
        "public/province.html",
        {
            "province": province,
            "year": year,
            "projects": projects,
            "total": total,
            "page": page,
            "pages": pages,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None,
        },
    )


@public_view
def programme_list(request):
    return render(request, "public/programme_list.html", {"programmes": selectors.public_programmes()})


@public_view
def programme_detail(request, code: str):
    programme = get_object_or_404(selectors.public_programmes(), code=code)
    return render(
        request,
        "public/programme_detail.html",
        {
            "programme": programme,
            "targets": selectors.programme_targets(programme),
            "years": selectors.programme_years(programme),
        },
    )


@public_view
def open_data(request):
    """The downloads, their licence and the data dictionary."""
    years = selectors.public_years()
    provinces = AdministrativeUnit.objects.current().provinces().order_by("code")
    return render(
        request,
        "public/open_data.html",
        {
            "years": years,
            "provinces": provinces,
            "fields": opendata.dictionary(),
            "licence_name": settings.PUBLIC_DATA_LICENCE_NAME,
            "licence_url": settings.PUBLIC_DATA_LICENCE_URL,
        },
    )


def _download_scope(request):
    years = selectors.public_years()
    year = _year(request, years)
    code = request.GET.get("tinh", "")
    province = _province(code) if code else None
    return year, province


@public_view(province=lambda request, kwargs: request.GET.get("tinh"))
def download_csv(request):
    year, province = _download_scope(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f.name for f in opendata.FIELDS])
    for project in selectors.projects_for_download(year, province):
        writer.writerow(opendata.csv_row(project))
    # UTF-8 with a byte-order mark so that spreadsheet programs read the Vietnamese letters right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"de-an-cong-khai-{year}{'-' + province.code if province else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public_view(province=lambda request, kwargs: request.GET.get("tinh"))
def download_json(request):
    year, province = _download_scope(request)
    body = {
        "licence": {"name": settings.PUBLIC_DATA_LICENCE_NAME, "url": settings.PUBLIC_DATA_LICENCE_URL},
        "year": year,
        "province": province.code if province else None,
        "note": _("Đề án đã phê duyệt; cơ sở là hộ kinh doanh, cá nhân chỉ được đếm, không nêu danh tính."),
        "projects": [opendata.json_row(p) for p in selectors.projects_for_download(year, province)],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), content_type="application/json"
    )
    name = f"de-an-cong-khai-{year}{'-' + province.code if province else ''}.json"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
