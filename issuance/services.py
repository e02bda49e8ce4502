"""Writes: issuing a report (a number from the register, the files and figures stored), adding a signed copy
uploaded by the signer, signing as the agency on the server."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Agency
from reports import document

from . import figures, registry, signatures
from .models import IssuedReport, RegisterCounter, SignedCopy
from .notifications import queue_issued_report_mail
from .permissions import can_issue, can_sign

# Crockford's base 32: no I, L, O, U, so a code read aloud or typed is not mistaken.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_code(code: str) -> str:
    code = re.sub(r"[\s-]", "", code.upper()).replace("O", "0").replace("I", "1").replace("L", "1")
    return code


def person_name(user) -> str:
    """A person's name as Vietnamese writes it: family name first ("Phạm Thị Dung")."""
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.get_username()


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not IssuedReport.objects.filter(verify_code=code).exists():
            return code


def verify_url(code: str) -> str:
    return settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("issuance:verify_code", args=[code])


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=1, dark="#000")


def default_recipients(province) -> list[str]:
    """E-mail addresses of the bodies a report goes to: the province's People's Committee and the Ministry's
    department (for a Sở's report), as recorded on their agencies."""
    if province is None:
        kinds = Agency.objects.filter(kind=Agency.Kind.CUC)
    else:
        kinds = Agency.objects.filter(kind=Agency.Kind.UBND, province=province) | Agency.objects.filter(
            kind=Agency.Kind.CUC
        )
    return sorted({e for e in kinds.values_list("email", flat=True) if e})


def _take_number(agency_key: str, year: int) -> RegisterCounter:
    """The agency's counter for the year, locked until the issuing commits (created on first use; a second
    creator waits on the first and then finds its row)."""
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(agency_key=agency_key, year=year)], ignore_conflicts=True
    )
    return RegisterCounter.objects.select_for_update().get(agency_key=agency_key, year=year)


@transaction.atomic
def report_issue(
    *,
    actor,
    kind: str,
    params: dict[str, Any],
    request_token: str,
    signer_name: str = "",
    extra_recipients: list[str] | tuple[str, ...] = (),
) -> IssuedReport:
    """Issue a report: the next number of the agency's register for this year (no gap, no duplicate), the
    number, place and date filled in, the PDF (archival, tagged, with signature fields and a verification code)
    and the workbook stored with the figures they were built from and the PDF's hash. The same request token
    gives the same issued report (a double click issues once). Mails the recipients after commit."""
    target = registry.target_for(kind, params, actor)
    if not can_issue(actor, target.province):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan ban hành mới được ban hành báo cáo này."))
    if not request_token or len(request_token) > 64:
        raise ValueError("request_token")
    now = timezone.now()
    today = timezone.localdate(now)
    counter = _take_number(target.agency_key, today.year)
    existing = IssuedReport.objects.filter(request_token=request_token).first()
    if existing is not None:
        return existing
    number = counter.last_number + 1
    head = target.head
    code = _new_code()
    url = verify_url(code)
    stamp = document.IssueStamp(
        number=document.IssueStamp.number_line(number, head.symbol),
        date=today,
        signer_name=signer_name or person_name(actor),
        verify_code=f"{code[:4]}-{code[4:]}",
        verify_url=url,
        qr_svg=_qr_svg(url),
    )
    issuer_line = _("%(superior)s — %(body)s — %(number)s — %(place)s, ngày %(day)s") % {
        "superior": head.superior,
        "body": head.body,
        "number": stamp.number,
        "place": head.place,
        "day": today.strftime("%d/%m/%Y"),
    }
    built = registry.KINDS[target.kind].build(target, stamp, issuer_line)
    place = {}
    if signatures_anchor := stamp.anchors.get("chu-ky-nguoi-ky"):
        page, x, y = signatures_anchor
        place = {"page": page, "x": x, "y": y}
    pdf = signatures.add_signature_fields(built.pdf, place)
    recipients = sorted(
        set(default_recipients(target.province)) | {e.strip() for e in extra_recipients if e.strip()}
    )
    issued = IssuedReport(
        kind=target.kind,
        params=target.params,
        title=target.title,
        province=target.province,
        agency_key=target.agency_key,
        agency_name=target.agency_name,
        year=today.year,
        number=number,
        symbol=head.symbol,
        place=head.place,
        issued_on=today,
        issued_at=now,
        issued_by=actor,
        signer_name=stamp.signer_name,
        pdf=pdf,
        xlsx=built.xlsx,
        figures=figures.to_json(built.report),
        sha256=sha256(pdf),
        xlsx_sha256=sha256(built.xlsx),
        verify_code=code,
        signature_place=place,
        recipients=recipients,
        request_token=request_token,
    )
    issued.full_clean()
    issued.save()
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    queue_issued_report_mail(issued)
    return issued


def today_figures(issued: IssuedReport) -> dict:
    """The figures the same report gives from today's data (nothing stored)."""
    target = registry.target_for(issued.kind, issued.params)
    return figures.to_json(registry.KINDS[target.kind].read(target))


def differences_today(issued: IssuedReport) -> list[figures.Difference]:
    """A readable list of the figures today's data gives differently from the issued report."""
    return figures.differences(issued.figures, today_figures(issued))


@transaction.atomic
def signed_copy_add(*, actor, issued: IssuedReport, data: bytes) -> SignedCopy:
    """Store the signer's signed copy after checking every signature and that it signs the issued bytes.
    Refused (SignatureRefused, nothing stored) otherwise."""
    if not can_sign(actor, issued):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan ban hành mới được nộp bản đã ký."))
    issued = IssuedReport.objects.select_for_update().get(pk=issued.pk)
    digest = sha256(data)
    existing = SignedCopy.objects.filter(sha256=digest).first()
    if existing is not None and existing.issued_id == issued.pk:
        return existing
    if digest == issued.sha256:
        raise signatures.SignatureRefused(_("Tệp tải lên là bản đã ban hành, chưa có chữ ký số."))
    found = signatures.check_signatures(data, issued_pdf=bytes(issued.pdf), issued_at=issued.issued_at)
    copy = SignedCopy(
        issued=issued,
        kind=SignedCopy.Kind.SIGNER,
        pdf=data,
        sha256=digest,
        signers=[s.as_dict() for s in found],
        added_by=actor,
    )
    copy.full_clean()
    copy.save()
    return copy


@transaction.atomic
def agency_sign(*, actor, issued: IssuedReport, signer=None) -> SignedCopy:
    """Sign as the organisation with the agency's certificate, over the latest signed copy (or the issued PDF),
    where Phụ lục I places the seal; the result is checked like an upload before it is stored."""
    if not can_sign(actor, issued):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan ban hành mới được ký số của cơ quan."))
    issued = IssuedReport.objects.select_for_update().get(pk=issued.pk)
    latest = issued.signed_copies.order_by("-added_at", "-pk").first()
    if latest is not None and latest.kind == SignedCopy.Kind.AGENCY:
        return latest
    base = bytes(latest.pdf) if latest is not None else bytes(issued.pdf)
    signed = signatures.sign_as_agency(
        base,
        agency=issued.agency_name,
        number_text=_("Số: %(number)s") % {"number": issued.number_text},
        place=issued.signature_place,
        signer=signer,
    )
    found = signatures.check_signatures(signed, issued_pdf=bytes(issued.pdf), issued_at=issued.issued_at)
    copy = SignedCopy(
        issued=issued,
        kind=SignedCopy.Kind.AGENCY,
        pdf=signed,
        sha256=sha256(signed),
        signers=[s.as_dict() for s in found],
        added_by=actor,
    )
    copy.full_clean()
    copy.save()
    return copy
