"""The daily reminder run (a systemd timer or cron line calls it once a morning; safe to run again by hand)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reminders.services import reminders_send


class Command(BaseCommand):
    help = "Gửi thư nhắc việc sắp đến hạn và quá hạn cho từng người (mỗi việc tối đa một lần mỗi ngày)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy (YYYY-MM-DD); mặc định hôm nay.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không gửi và không ghi nhật ký.")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.") from exc
        summary = reminders_send(today=today, dry_run=dry_run)
        verb = "Sẽ gửi" if dry_run else "Đã xếp gửi"
        self.stdout.write(
            f"{verb} {summary.emails} thư ({summary.items} việc) cho {summary.users} người; "
            f"{summary.skipped} việc đã nhắc hôm nay nên bỏ qua."
        )
