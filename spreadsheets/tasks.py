"""Imports in the background: thin handlers around the same services the pages call, safe to run twice."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.runner import handler

from . import services
from .models import ImportJob


def _import_job(job) -> ImportJob:
    return ImportJob.objects.get(pk=job.params["import_job"])


@handler("spreadsheets.preview")
def preview(job) -> dict:
    imported = services.import_job_preview(actor=job.owner, job=_import_job(job))
    return {
        "message": imported.get_status_display(),
        "result_url": reverse("spreadsheets:preview", kwargs={"pk": imported.pk}),
    }


@handler("spreadsheets.confirm")
def confirm(job) -> dict:
    imported = _import_job(job)
    url = reverse("spreadsheets:preview", kwargs={"pk": imported.pk})
    if imported.status == ImportJob.Status.IMPORTED:
        # Delivered a second time after the import committed (e.g. the worker died before recording it).
        return {"message": imported.get_status_display(), "result_url": url}
    report = services.import_job_confirm(actor=job.owner, job=imported)
    if not report.committed:
        raise services.ValidationError(
            _("Dữ liệu đã thay đổi kể từ khi kiểm tra và có dòng bị từ chối; chưa ghi gì.")
        )
    totals = report.totals
    return {
        "message": _(
            "Đã nhập xong: %(new)s dòng mới, %(updated)s dòng cập nhật, %(unchanged)s dòng không đổi."
        )
        % {"new": totals.new, "updated": totals.updated, "unchanged": totals.unchanged},
        "result_url": url,
    }
