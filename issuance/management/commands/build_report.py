"""`build_report` with issuing: the reports' command, plus `--issue --signer USERNAME` so a schedule can issue
a report (a number from the register, the files stored, the recipients mailed):

python manage.py build_report annual --province 92 --year 2026 --quarter 3 --issue --signer lanhdao.cantho

Run again the same day for the same report, it gives the same issued report, not a second number.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone

from issuance import registry, services
from reports import exports
from reports.management.commands.build_report import Command as BuildReport

ISSUABLE = ("annual", "programme", "national")


class Command(BuildReport):
    help = BuildReport.help + " Với --issue: ban hành (cấp số, lưu tệp, gửi thư cho nơi nhận)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--issue", action="store_true", help="Ban hành báo cáo: cấp số tiếp theo trong sổ văn bản đi."
        )
        parser.add_argument("--signer", help="Tên đăng nhập của lãnh đạo ban hành (bắt buộc với --issue).")

    def handle(self, *args, kind: str, fmt: str, **options):
        if not options["issue"]:
            return super().handle(*args, kind=kind, fmt=fmt, **options)
        if kind not in ISSUABLE:
            raise CommandError(f"Chỉ ban hành được báo cáo {', '.join(ISSUABLE)}.")
        if not options["signer"]:
            raise CommandError("Cần --signer (tên đăng nhập của lãnh đạo ban hành).")
        actor = get_user_model().objects.filter(username=options["signer"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng đang hoạt động {options['signer']}.")
        if kind == "annual":
            params = {
                "province": self._province(options["province"]).code,
                "period": self._period(options).slug,
            }
        elif kind == "programme":
            params = {"programme": self._programme(options["programme"]).pk}
        else:
            params = {"period": self._period(options).slug}
        day = timezone.localdate().isoformat()
        request = hashlib.sha256(json.dumps(["cron", kind, params, day], sort_keys=True).encode()).hexdigest()
        try:
            issued = services.report_issue(actor=actor, kind=kind, params=params, request_token=request)
        except registry.NotFound as exc:
            raise CommandError(f"{options['signer']} không xem được báo cáo này.") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        content = bytes(issued.pdf) if fmt == exports.PDF else bytes(issued.xlsx)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
        self.stdout.write(
            f"Đã ban hành báo cáo số {issued.number_text} ngày {issued.issued_on:%d/%m/%Y}: {issued.title} "
            f"(SHA-256 {issued.sha256})"
        )
