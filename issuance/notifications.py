"""E-mail to the recipients of an issued report, with its files. One function that does the sending, so a
task queue can run it later instead of `transaction.on_commit`."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


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


def queue_issued_report_mail(issued_id: int) -> None:
    """After the issuing commits; a mail server outage does not undo an issued report."""

    def send() -> None:
        try:
            send_issued_report(issued_id)
        except Exception:
            logger.exception("Không gửi được thư báo cáo đã ban hành %s", issued_id)

    transaction.on_commit(send)
