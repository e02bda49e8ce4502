"""Forms that act once: every form that writes money (and the đề án entry) carries a one-time token
(`{% form_token %}` from the `once` template library); the view claims it in the same transaction as the
write. Sent again with the same token, the form acts no more and the user is shown the first result.

The claim is the first write of the transaction, so two copies sent at the same moment queue on it (the
token is unique): the second sees the first's row once the first commits, or takes the token if the first
was refused and rolled back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

FIELD = "form_token"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")

ALREADY_DONE = _("Biểu mẫu này đã được gửi và ghi nhận trước đó; lần gửi lại không ghi thêm gì.")


def new_token() -> str:
    return uuid.uuid4().hex


@dataclass
class Claim:
    """`first` is False when the form was already acted on; `result_url` is then the first result."""

    first: bool
    record: FormSubmission | None = None

    @property
    def result_url(self) -> str:
        return self.record.result_url if self.record is not None else ""

    def finish(self, url: str) -> None:
        """Keep where the first result is shown (call inside the same transaction, after the write)."""
        if self.first and self.record is not None:
            self.record.result_url = url
            self.record.save(update_fields=["result_url"])


def _token(request: HttpRequest) -> str | None:
    token = (request.POST.get(FIELD) or "").strip().lower()
    return token if _TOKEN.match(token) else None


def earlier(request: HttpRequest) -> FormSubmission | None:
    """The form was already acted on: its first result, checked before the form is even validated (a
    second copy of a form that created something would otherwise be refused as a duplicate of it)."""
    token = _token(request)
    return FormSubmission.objects.filter(token=token).first() if token else None


def claim(request: HttpRequest) -> Claim:
    """Take the POSTed form token for this write. Call inside the write's transaction, before writing.

    A POST without a token (a script, an older page) is not guarded here; the services' own rules (status,
    unique voucher numbers) still hold."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the write's transaction")
    token = _token(request)
    if token is None:
        return Claim(first=True)
    try:
        with transaction.atomic():
            record = FormSubmission.objects.create(token=token, user=request.user)
    except IntegrityError:
        return Claim(first=False, record=FormSubmission.objects.filter(token=token).first())
    return Claim(first=True, record=record)
