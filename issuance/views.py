"""Pages of issued reports: the register, a report's issued versions, one issued report, and the public
verification page. Thin: scope, call a service, respond."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import Job
from jobs.services import job_start
from jobs.views import job_state

from . import exports, registry, selectors, services, signatures
from .forms import IssueForm, PdfUploadForm, VerifyCodeForm
from .models import IssuedReport, SignedCopy
from .permissions import can_issue, can_sign


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _target(request: HttpRequest) -> registry.Target:
    params = {k: v for k, v in request.GET.items() if k not in ("kind", "ban", "viec")}
    try:
        return registry.target_for(request.GET.get("kind", ""), params, request.user)
    except registry.NotFound as exc:
        raise Http404 from exc


def report_url(kind: str, params: dict) -> str:
    return reverse("issuance:report") + "?" + urlencode({"kind": kind, **params})


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The register of outgoing reports (sổ văn bản đi) of the user's agency, by year."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    rows = selectors.register_rows(request.user, year=year)
    return render(
        request,
        "issuance/register.html",
        {
            "rows": rows,
            "year": year,
            "years": selectors.register_years(request.user, year),
            "kinds": registry.KINDS,
        },
    )


@login_required
@require_GET
def register_xlsx(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    content = exports.register_xlsx(selectors.register_rows(request.user, year=year), year=year)
    return _file(content, f"so-van-ban-di-{year}.xlsx", exports.XLSX_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest) -> HttpResponse:
    """A report: its issued versions, the difference today's data makes to one of them, and issuing it."""
    target = _target(request)
    allowed = can_issue(request.user, target.province)
    form = IssueForm(request.POST or None, initial={"request_token": uuid.uuid4().hex})
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            job = _issue_in_background(request, target, form.cleaned_data)
            return redirect(report_url(target.kind, target.params) + "&" + urlencode({"viec": job.pk}))
    versions = list(
        IssuedReport.objects.visible_to(request.user)
        .of_target(target.kind, target.params)
        .select_related("issued_by")
    )
    chosen = None
    if versions:
        chosen_pk = request.GET.get("ban", "")
        chosen = next((v for v in versions if str(v.pk) == chosen_pk), versions[0])
    job = _job_of(request, target)
    return render(
        request,
        "issuance/report_page.html",
        {
            "job_state": job_state(job) if job is not None else None,
            "target": target,
            "kind_label": registry.KINDS[target.kind].label,
            "form": form,
            "can_issue": allowed,
            "versions": versions,
            "chosen": chosen,
            "differences": services.differences_today(chosen) if chosen else None,
            "page_url": report_url(target.kind, target.params),
        },
    )


def _subject(target: registry.Target, request_token: str = "") -> str:
    digest = hashlib.sha256(json.dumps([target.kind, target.params], sort_keys=True).encode()).hexdigest()
    return f"issuance:{digest[:24]}:{request_token}"[:100]


def _issue_in_background(request: HttpRequest, target: registry.Target, data: dict) -> Job:
    """Numbering, the archival PDF and its signature fields take seconds: a worker issues, the page shows
    its progress. The form's token names the job, so the same form sent again shows the same job."""
    subject = _subject(target, data["request_token"])
    with transaction.atomic():
        existing = Job.objects.visible_to(request.user).select_for_update().about(subject).first()
        if existing is not None:
            return existing
        return job_start(
            actor=request.user,
            handler="issuance.issue",
            label=_("Ban hành %(title)s") % {"title": target.title},
            params={
                "kind": target.kind,
                "params": target.params,
                "request_token": data["request_token"],
                "signer_name": data["signer_name"],
                "extra_recipients": data["extra_recipients"],
            },
            subject=subject,
            # Issuing is not retried on its own: a failure is shown at once and the leader issues again.
            max_attempts=1,
        )


def _job_of(request: HttpRequest, target: registry.Target) -> Job | None:
    """The issuing job named in the address (`?viec=`), if it is the user's and about this report."""
    raw = request.GET.get("viec", "")
    if not raw.isdigit():
        return None
    job = Job.objects.visible_to(request.user).filter(pk=int(raw), handler="issuance.issue").first()
    if job is None or not job.subject.startswith(_subject(target)):
        return None
    return job


def _issued(request: HttpRequest, pk: int) -> IssuedReport:
    return get_object_or_404(IssuedReport.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    issued = _issued(request, pk)
    return render(
        request,
        "issuance/issued_detail.html",
        {
            "issued": issued,
            "copies": issued.signed_copies.select_related("added_by"),
            "can_sign": can_sign(request.user, issued),
            "agency_configured": bool(signatures.agency_configured()),
            "upload_form": PdfUploadForm(),
            "page_url": report_url(issued.kind, issued.params),
            "verify_url": services.verify_url(issued.verify_code),
        },
    )


@login_required
@require_GET
def issued_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    issued = _issued(request, pk)
    stem = f"{issued.number:02d}-{issued.symbol}-{issued.year}".replace("/", "-")
    if fmt == "pdf":
        return _file(bytes(issued.pdf), f"{stem}.pdf", "application/pdf")
    if fmt != "xlsx":
        raise Http404
    return _file(bytes(issued.xlsx), f"{stem}.xlsx", exports.XLSX_TYPE)


@login_required
@require_GET
def signed_file(request: HttpRequest, pk: int, copy: int) -> HttpResponse:
    issued = _issued(request, pk)
    signed = get_object_or_404(SignedCopy, issued=issued, pk=copy)
    return _file(
        bytes(signed.pdf),
        f"{issued.number:02d}-{issued.symbol}-{issued.year}-da-ky-{signed.pk}.pdf",
        "application/pdf",
    )


@login_required
@require_POST
def upload_signed(request: HttpRequest, pk: int) -> HttpResponse:
    issued = _issued(request, pk)
    if not can_sign(request.user, issued):
        raise PermissionDenied
    form = PdfUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("issuance:detail", pk=pk)
    try:
        services.signed_copy_add(actor=request.user, issued=issued, data=form.cleaned_data["pdf"])
    except signatures.SignatureRefused as exc:
        messages.error(request, _("Không nhận bản đã ký: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Đã nhận bản đã ký số; chữ ký hợp lệ."))
    return redirect("issuance:detail", pk=pk)


@login_required
@require_POST
def sign_agency(request: HttpRequest, pk: int) -> HttpResponse:
    issued = _issued(request, pk)
    if not can_sign(request.user, issued):
        raise PermissionDenied
    try:
        services.agency_sign(actor=request.user, issued=issued)
    except ImproperlyConfigured:
        messages.error(request, _("Chưa cấu hình chứng thư số của cơ quan; liên hệ quản trị hệ thống."))
    except signatures.SignatureRefused as exc:
        messages.error(request, _("Không ký được: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Đã ký số bằng chứng thư số của cơ quan."))
    return redirect("issuance:detail", pk=pk)


# --------------------------------------------------------------------------------------------------
# Public verification: number, date, agency, hash; no figures, no personal data.


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    issued = None
    if code is None and request.GET.get("code"):
        return redirect("issuance:verify_code", code=services.normalise_code(request.GET["code"]))
    if code is not None:
        issued = IssuedReport.objects.filter(verify_code=services.normalise_code(code)).first()
        if issued is None:
            raise Http404
    upload = PdfUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and upload.is_valid():
        result = selectors.check_upload(upload.cleaned_data["pdf"], issued=issued)
    return render(
        request,
        "issuance/verify.html",
        {"issued": issued, "upload_form": upload, "code_form": VerifyCodeForm(), "result": result},
    )
