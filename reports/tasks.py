"""Report files built in the background: thin handlers around the same exports the download views call."""

from __future__ import annotations

import os
import tempfile

from django.core.files import File
from django.http import QueryDict

from jobs import progress
from jobs.runner import handler
from khuyencong.db_router import run_with_fallback

from . import exports
from .periods import Period


class _Request:
    """What the staff list's filter reads of a request: the user (for scoping and drop-downs)."""

    def __init__(self, user) -> None:
        self.user = user


def _keep(job, filename: str, path: str) -> None:
    """Store the built file as the job's result (under MEDIA_ROOT, shared by every web machine)."""
    with open(path, "rb") as handle:
        job.result_file.save(filename, File(handle), save=False)
    job.result_name = filename
    job.save(update_fields=["result_file", "result_name"])


def _keep_bytes(job, result: exports.ReportFile) -> None:
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(result.content)
    try:
        _keep(job, result.filename, handle.name)
    finally:
        os.unlink(handle.name)


@handler("reports.project_list")
def project_list(job) -> dict:
    from .views import filtered_projects, user_province

    filterset, description = filtered_projects(_Request(job.owner), QueryDict(job.params.get("query", "")))
    province = user_province(job.owner)
    if job.params["fmt"] == exports.XLSX:
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            filename = run_with_fallback(
                exports.project_list_to_file,
                projects=filterset.qs,
                description=description,
                path=path,
                province=province,
            )
            _keep(job, filename, path)
        finally:
            os.unlink(path)
    else:
        progress.report(message=job.label, force=True)
        _keep_bytes(
            job,
            run_with_fallback(
                exports.project_list,
                projects=filterset.qs,
                description=description,
                fmt=job.params["fmt"],
                province=province,
            ),
        )
    return {}


@handler("reports.national")
def national(job) -> dict:
    progress.report(message=job.label, force=True)
    _keep_bytes(
        job,
        exports.national(
            period=Period.from_slug(job.params["period"]), fmt=job.params["fmt"], user=job.owner
        ),
    )
    return {}


# PDF reports (reports.views._pdf_in_background). The view has checked that the owner may see what is asked;
# the export reads it again as the owner, so a job started by someone who lost the right reads nothing more.
@handler("reports.annual")
def annual(job) -> dict:
    from places.models import AdministrativeUnit

    progress.report(message=job.label, force=True)
    province = AdministrativeUnit.objects.get(pk=job.params["province"])
    period = Period.from_slug(job.params["period"])
    _keep_bytes(job, exports.annual(province=province, period=period, fmt=job.params["fmt"], user=job.owner))
    return {}


@handler("reports.programme")
def programme(job) -> dict:
    from programs.models import Programme

    progress.report(message=job.label, force=True)
    chosen = Programme.objects.visible_to(job.owner).get(pk=job.params["pk"])
    _keep_bytes(job, exports.programme(programme=chosen, fmt=job.params["fmt"], user=job.owner))
    return {}


@handler("reports.national_programme")
def national_programme(job) -> dict:
    progress.report(message=job.label, force=True)
    _keep_bytes(
        job, exports.national_programme(year=job.params["year"], fmt=job.params["fmt"], user=job.owner)
    )
    return {}
