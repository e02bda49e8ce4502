"""Imports as business actions: upload and preview, confirm, cancel; and the rejected rows as a workbook."""

from __future__ import annotations

import io
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.list_export import append_sheet

from .engine import ImportReport, RowError, run_import
from .models import ImportJob, ImportKind
from .permissions import can_import, can_use_job
from .reading import SpreadsheetError, read_workbook
from .registry import spec_for


def _save_report(job: ImportJob, report: ImportReport) -> None:
    job.report = report.as_dict()


def import_job_create(*, actor, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the upload under MEDIA_ROOT and preview it (the import run and rolled back).

    The job is "previewed" when every row is accepted, "invalid" when some are rejected, "refused" when the
    file itself cannot be read. Nothing but the job is written.
    """
    job = import_job_store(actor=actor, kind=kind, upload=upload)
    return import_job_preview(actor=actor, job=job)


def import_job_store(*, actor, kind: str, upload: UploadedFile) -> ImportJob:
    """Check the upload's kind and size and keep the file; the job waits "checking" for its preview."""
    if not can_import(actor):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu."))
    if kind not in ImportKind.values:
        raise ValidationError(_("Loại dữ liệu không hợp lệ."))
    from django.conf import settings

    if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn; giới hạn là %(limit)s MB.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    name = os.path.basename(upload.name or "tep.xlsx")[:200]
    job = ImportJob(owner=actor, kind=kind, status=ImportJob.Status.CHECKING, original_name=name)
    job.file.save(f"{kind}.xlsx", upload, save=False)
    job.save()
    return job


def import_job_preview(*, actor, job: ImportJob) -> ImportJob:
    """Run the import of a stored upload and roll it back, keeping the report. Run twice, it acts once."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not can_use_job(actor, job):
            raise PermissionDenied(_("Đây không phải lần nhập của bạn."))
        if job.status != ImportJob.Status.CHECKING:
            return job
    report = run_import(
        kind=job.kind, source=job.file.path, actor=actor, commit=False, convert_legacy=job.convert_legacy
    )
    _save_report(job, report)
    job.status = _status_of(report)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
        report=job.report, status=job.status
    )
    if updated and job.status == ImportJob.Status.REFUSED:
        # A file that cannot be read is not kept: nothing will ever be imported from it.
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return job


def import_job_convert(*, actor, job: ImportJob) -> ImportJob:
    """The person agreed to convert TCVN3/VNI text to Unicode: the job waits "checking" for a new preview
    with conversion on (run by the caller, or a worker for a large file), which lists every converted
    value; nothing is written until the import is confirmed."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not can_use_job(actor, job):
            raise PermissionDenied(_("Đây không phải lần nhập của bạn."))
        if job.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.INVALID) or not job.file:
            raise ValidationError(_("Lần nhập này không còn chờ kiểm tra."))
        job.convert_legacy = True
        job.status = ImportJob.Status.CHECKING
        job.save(update_fields=["convert_legacy", "status"])
    return job


def _status_of(report: ImportReport) -> str:
    if report.file_errors and not report.sheets:
        return ImportJob.Status.REFUSED
    if not report.ok:
        return ImportJob.Status.INVALID
    return ImportJob.Status.PREVIEWED


def import_job_confirm(*, actor, job: ImportJob) -> ImportReport:
    """Write the previewed file: every row or, if anything changed since the preview and fails, none."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not can_use_job(actor, job):
            raise PermissionDenied(_("Đây không phải lần nhập của bạn."))
        if not job.can_confirm:
            raise ValidationError(_("Lần nhập này không còn chờ xác nhận."))
        report = run_import(
            kind=job.kind, source=job.file.path, actor=actor, commit=True, convert_legacy=job.convert_legacy
        )
        _save_report(job, report)
        if report.committed:
            job.status = ImportJob.Status.IMPORTED
            job.finished_at = timezone.now()
        else:
            job.status = _status_of(report)
        job.save(update_fields=["report", "status", "finished_at"])
    return report


def import_job_cancel(*, actor, job: ImportJob) -> None:
    """Forget an upload that will not be imported, and delete its file."""
    if not can_use_job(actor, job):
        raise PermissionDenied(_("Đây không phải lần nhập của bạn."))
    if job.status == ImportJob.Status.IMPORTED:
        raise ValidationError(_("Dữ liệu đã được nhập, không hủy được."))
    job.file.delete(save=False)
    job.status = ImportJob.Status.CANCELLED
    job.save(update_fields=["status", "file"])


def rejected_rows_workbook(job: ImportJob) -> bytes:
    """The rejected rows of each sheet as they were in the file, with an error column beside each row."""
    spec = spec_for(job.kind)
    errors: dict[tuple[str, int], list[str]] = {}
    for error in job.report.get("errors", []):
        error = RowError(**error)
        label = f"{error.column}: {error.message}" if error.column else error.message
        errors.setdefault((error.sheet, error.row), []).append(label)
    try:
        sheets = read_workbook(job.file.path, sheets=spec.sheet_lookup())
    except (SpreadsheetError, FileNotFoundError, ValueError):
        sheets = {}
    from openpyxl import Workbook

    out = Workbook(write_only=True)
    wrote = False
    for sheet_spec in spec.sheets:
        sheet = sheets.get(sheet_spec.title)
        if sheet is None:
            continue
        rows = [
            [number, "\n".join(errors[(sheet_spec.title, number)]), *values]
            for number, values in zip(sheet.row_numbers, sheet.rows, strict=True)
            if (sheet_spec.title, number) in errors
        ]
        if rows:
            append_sheet(out, [_("Dòng trong tệp"), _("Lỗi"), *sheet.headers], rows, title=sheet_spec.title)
            wrote = True
    if not wrote:
        out.create_sheet(_("Không có dòng lỗi"))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
