"""E-mail to the recipients of an issued report, with its files: sent by the background worker (jobs/) after
the issuing commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.text import slugify
from django.utils.translation import gettext as _


def send_issued_report(issued_id: int) -> int:
    """Send the issued PDF and workbook to each recipient; returns how many messages left. Safe to run again."""
    from .models import IssuedReport

    issued = IssuedReport.objects.filter(pk=issued_id).first()
    if issued is None or not issued.recipients:
        return 0
    subject = _("[Khuyến công] %(number)s — %(title)s") % {
        "number": issued.number_text,
        "title": issued.title,
    }
    body = "\n".join(
        [
            _("%(agency)s gửi báo cáo số %(number)s ngày %(day)s.")
            % {
                "agency": issued.agency_name,
                "number": issued.number_text,
                "day": issued.issued_on.strftime("%d/%m/%Y"),
            },
            _("Trích yếu: %(title)s") % {"title": issued.title},
            _("Mã xác minh: %(code)s") % {"code": issued.pretty_code},
            _("SHA-256 của tệp PDF: %(hash)s") % {"hash": issued.sha256},
        ]
    )
    stem = slugify(f"{issued.number:02d}-{issued.symbol}-{issued.year}")
    sent = 0
    for address in issued.recipients:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        message.attach(f"{stem}.pdf", bytes(issued.pdf), "application/pdf")
        message.attach(
            f"{stem}.xlsx",
            bytes(issued.xlsx),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        sent += message.send(fail_silently=False)
    return sent


def queue_issued_report_mail(issued) -> None:
    """Handed to the background worker once the issuing commits (`jobs.services.job_start` queues after
    commit); a mail server outage is retried there and never undoes, nor slows, an issued report."""
    from jobs.services import job_start

    if not issued.recipients:
        return
    job_start(
        actor=None,
        handler="issuance.mail",
        label=_("Gửi báo cáo số %(number)s tới nơi nhận") % {"number": issued.number_text},
        params={"issued_id": issued.pk},
        subject=f"issuance.issuedreport:{issued.pk}",
        max_attempts=5,
    )
