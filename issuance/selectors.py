"""Reads: the register of outgoing reports, and checking an uploaded PDF against what was issued."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from . import signatures
from .models import IssuedReport, SignedCopy


def register_rows(user, *, year: int) -> QuerySet[IssuedReport]:
    """The year's issued reports the user may see, in register order (agency, number)."""
    return (
        IssuedReport.objects.visible_to(user)
        .filter(year=year)
        .select_related("issued_by")
        .annotate(signed_count=Count("signed_copies"))
        .defer("pdf", "xlsx", "figures")
        .order_by("agency_key", "number")
    )


def register_years(user, current: int) -> list[int]:
    years = set(IssuedReport.objects.visible_to(user).values_list("year", flat=True).distinct())
    return sorted(years | {current}, reverse=True)


@dataclass
class UploadCheck:
    ok: bool
    issued: IssuedReport | None = None
    message: str = ""
    signatures: list[signatures.SignatureInfo] = field(default_factory=list)


def _revisions(data: bytes) -> list[bytes]:
    """Each earlier revision of a PDF: the bytes up to each end-of-file marker (with its line end)."""
    ends = []
    for match in re.finditer(rb"%%EOF(\r\n|\r|\n)?", data):
        ends.append(match.start() + 5)
        if match.group(1):
            ends.append(match.end())
    return [data[:end] for end in ends]


def check_upload(data: bytes, *, issued: IssuedReport | None) -> UploadCheck:
    """Is `data` an issued report (as issued, or with signatures added), and do its signatures hold?
    Reads only; nothing uploaded is stored."""
    try:
        signatures.read_pdf(data)
    except signatures.SignatureRefused as exc:
        return UploadCheck(False, issued, exc.message)
    digest = hashlib.sha256(data).hexdigest()
    candidates = IssuedReport.objects.defer("xlsx", "figures")
    if issued is not None:
        candidates = candidates.filter(pk=issued.pk)
    exact = candidates.filter(sha256=digest).first()
    if exact is not None:
        return UploadCheck(True, exact, _("Đúng là bản đã ban hành (chưa có chữ ký số)."))
    copy = SignedCopy.objects.filter(sha256=digest).select_related("issued").first()
    found = copy.issued if copy is not None and (issued is None or copy.issued_id == issued.pk) else None
    if found is None:
        hashes = {hashlib.sha256(rev).hexdigest() for rev in _revisions(data)}
        found = candidates.filter(sha256__in=hashes).first()
    if found is None:
        return UploadCheck(
            False,
            issued,
            _(
                "Tệp này không phải là bản đã ban hành, cũng không phải bản đã ban hành được ký thêm chữ ký số."
            )
            if issued is None
            else _("Tệp này không phải là báo cáo số %(number)s đã ban hành (hoặc đã bị sửa).")
            % {"number": issued.number_text},
        )
    try:
        checked = signatures.check_signatures(data, issued_pdf=bytes(found.pdf), issued_at=found.issued_at)
    except signatures.SignatureRefused as exc:
        return UploadCheck(
            False,
            found,
            _("Có bản đã ban hành trong tệp, nhưng chữ ký số không hợp lệ: %(reason)s")
            % {"reason": exc.message},
        )
    return UploadCheck(
        True,
        found,
        _("Đúng là bản đã ban hành, có %(count)s chữ ký số hợp lệ.") % {"count": len(checked)},
        checked,
    )
