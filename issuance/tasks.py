"""Issuing in the background: thin handlers around the same services the command line calls."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs import progress
from jobs.runner import handler

from . import services
from .notifications import send_issued_report


@handler("issuance.issue")
def issue(job) -> dict:
    """Issue the report the page asked for, as the person who asked. The request token makes a second run
    (a redelivery, a resubmitted form) return the report already issued; a failure rolls everything back,
    the register's number included, and the reason is shown on the page."""
    params = job.params
    actor = get_user_model().objects.get(pk=job.owner_id, is_active=True)
    progress.report(message=_("Đang dựng báo cáo và cấp số…"), force=True)
    issued = services.report_issue(
        actor=actor,
        kind=params["kind"],
        params=params["params"],
        request_token=params["request_token"],
        signer_name=params.get("signer_name", ""),
        extra_recipients=params.get("extra_recipients", []),
    )
    return {
        "message": _("Đã ban hành báo cáo số %(number)s.") % {"number": issued.number_text},
        "result_url": reverse("issuance:detail", args=[issued.pk]),
    }


@handler("issuance.mail")
def mail(job) -> dict:
    """The issued report's files to its recipients; retried when the mail server does not answer."""
    sent = send_issued_report(job.params["issued_id"])
    return {"message": f"{sent}"}
