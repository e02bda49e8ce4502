"""Staff pages: download a template, upload a file, read the preview, confirm or cancel."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.scoping import user_province_id
from jobs.models import Job
from jobs.services import job_start
from jobs.views import job_state
from khuyencong import once
from khuyencong.list_export import XLSX_CONTENT_TYPE
from places.models import AdministrativeUnit

from . import services
from .forms import ImportUploadForm
from .models import ImportJob, ImportKind
from .permissions import can_import
from .registry import spec_for
from .template_files import build_template

PREVIEW_ERRORS_SHOWN = 500


class ImporterRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return can_import(self.request.user)


class ImportIndexView(ImporterRequiredMixin, FormView):
    template_name = "spreadsheets/import_index.html"
    form_class = ImportUploadForm

    def get_initial(self):
        kind = self.request.GET.get("loai")
        return {"kind": kind} if kind in ImportKind.values else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = ImportKind.choices
        context["jobs"] = ImportJob.objects.visible_to(self.request.user)[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        actor = self.request.user
        try:
            if _in_background(upload.size):
                with transaction.atomic():
                    job = services.import_job_store(
                        actor=actor, kind=form.cleaned_data["kind"], upload=upload
                    )
                    _start(actor, job, "spreadsheets.preview", _("Kiểm tra tệp %(name)s"))
            else:
                job = services.import_job_create(actor=actor, kind=form.cleaned_data["kind"], upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        return redirect("spreadsheets:preview", pk=job.pk)


def _in_background(size: int | None) -> bool:
    """Files above the threshold are checked and written by a worker, with a progress bar on the page."""
    return (size or 0) > settings.IMPORT_BACKGROUND_BYTES


def _subject(job: ImportJob) -> str:
    return f"spreadsheets.importjob:{job.pk}"


def _start(actor, job: ImportJob, handler: str, label: str) -> Job:
    return job_start(
        actor=actor,
        handler=handler,
        label=label % {"name": job.original_name},
        params={"import_job": job.pk},
        subject=_subject(job),
    )


class TemplateDownloadView(ImporterRequiredMixin, View):
    def get(self, request, kind: str):
        if kind not in ImportKind.values:
            from django.http import Http404

            raise Http404
        province_id = user_province_id(request.user)
        province = AdministrativeUnit.objects.filter(pk=province_id).first() if province_id else None
        response = HttpResponse(build_template(kind, province=province), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{spec_for(kind).template_name}.xlsx"'
        return response


class ImportPreviewView(ImporterRequiredMixin, DetailView):
    template_name = "spreadsheets/import_preview.html"
    context_object_name = "job"

    def get_queryset(self):
        return ImportJob.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object.report or {}
        errors = report.get("errors", [])
        context.update(
            report=report,
            totals=report.get("totals", {}),
            errors=errors[:PREVIEW_ERRORS_SHOWN],
            errors_hidden=max(0, report.get("error_count", 0) - PREVIEW_ERRORS_SHOWN),
            has_rejected=bool(errors),
        )
        running = Job.objects.visible_to(self.request.user).about(_subject(self.object)).first()
        if running is not None and (not running.is_finished or running.status == Job.Status.FAILED):
            context["background"] = job_state(running)
            context["background_running"] = not running.is_finished
        return context


class ImportConvertView(ImporterRequiredMixin, View):
    """Convert TCVN3/VNI text to Unicode, as the preview offered: the file is checked again with it."""

    def post(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
        try:
            with transaction.atomic():
                job = services.import_job_convert(actor=request.user, job=job)
                if _in_background(job.file.size if job.file else 0):
                    _start(request.user, job, "spreadsheets.preview", _("Kiểm tra tệp %(name)s"))
                    return redirect("spreadsheets:preview", pk=job.pk)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("spreadsheets:preview", pk=job.pk)
        services.import_job_preview(actor=request.user, job=job)
        messages.info(
            request, _("Đã chuyển văn bản bảng mã cũ sang Unicode; hãy xem lại các giá trị dưới đây.")
        )
        return redirect("spreadsheets:preview", pk=job.pk)


class ImportConfirmView(ImporterRequiredMixin, View):
    def post(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
        result_url = reverse("spreadsheets:preview", kwargs={"pk": job.pk})
        if once.earlier(request) is not None:
            # A second click (or a resend) of the same confirmation: the first one's result page, nothing more.
            return redirect(result_url)
        if job.can_confirm and _in_background(job.file.size if job.file else 0):
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                # A second click while the first confirmation waits or runs starts nothing new.
                if not Job.objects.about(_subject(locked)).active().exists():
                    _start(request.user, locked, "spreadsheets.confirm", _("Nhập dữ liệu từ tệp %(name)s"))
            return redirect("spreadsheets:preview", pk=job.pk)
        try:
            with transaction.atomic():
                claim = once.claim(request)
                if not claim.first:
                    return redirect(claim.result_url or result_url)
                report = services.import_job_confirm(actor=request.user, job=job)
                claim.finish(result_url)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("spreadsheets:preview", pk=job.pk)
        if report.committed:
            totals = report.totals
            messages.success(
                request,
                _("Đã nhập xong: %(new)s dòng mới, %(updated)s dòng cập nhật, %(unchanged)s dòng không đổi.")
                % {"new": totals.new, "updated": totals.updated, "unchanged": totals.unchanged},
            )
        else:
            messages.error(
                request, _("Dữ liệu đã thay đổi kể từ khi kiểm tra và có dòng bị từ chối; chưa ghi gì.")
            )
        return redirect("spreadsheets:preview", pk=job.pk)


class ImportCancelView(ImporterRequiredMixin, View):
    def post(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
        try:
            services.import_job_cancel(actor=request.user, job=job)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("spreadsheets:preview", pk=job.pk)
        messages.success(request, _("Đã hủy lần nhập và xóa tệp."))
        return redirect(reverse("spreadsheets:index"))


class RejectedRowsView(ImporterRequiredMixin, View):
    def get(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
        response = HttpResponse(services.rejected_rows_workbook(job), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="dong-bi-tu-choi-{job.pk}.xlsx"'
        return response
