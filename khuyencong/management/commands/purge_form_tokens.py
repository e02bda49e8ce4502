"""Forget one-time form tokens older than the window in which a form can still be sent again.

A token only has to outlive the page it was printed on: a second copy of a form (a double click, the back
button, a resent POST after a network error) arrives within minutes or, for a page left open, days. Rows
older than `--days` (30 by default) are deleted in batches, so the table stays small however long the
portal runs. Run daily (docs/deploy.md, the housekeeping timer); safe to run by hand at any time.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khuyencong.models import FormSubmission

BATCH = 5_000


class Command(BaseCommand):
    help = "Xóa mã biểu mẫu dùng một lần đã cũ hơn số ngày cho trước (mặc định 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="giữ mã của bao nhiêu ngày gần nhất")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("Số ngày phải từ 1 trở lên: mã của biểu mẫu vừa in ra vẫn cần được giữ.")
        cutoff = timezone.now() - timedelta(days=days)
        removed = 0
        while True:
            ids = list(
                FormSubmission.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            removed += FormSubmission.objects.filter(pk__in=ids).delete()[0]
        self.stdout.write(f"Đã xóa {removed} mã biểu mẫu cũ hơn {days} ngày.")
