"""Prepare a fresh portal: places, reference data, the seed articles' data, demo data and demo accounts.

Safe to run any number of times: every step updates in place.
"""

import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.models import StaffProfile
from accounts.roles import GROUP_NAMES
from accounts.services import demo_accounts_ensure

DEFAULT_DEMO_PASSWORD = "KhuyenCong@2025"


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính, dữ liệu danh mục, dữ liệu từ bài viết nguồn, dữ liệu minh họa và tài khoản demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-demo", action="store_true", help="Không tạo dữ liệu minh họa và tài khoản demo."
        )

    def handle(self, *args, no_demo: bool = False, **options):
        started = time.monotonic()
        call_command("load_places", verbosity=options["verbosity"])
        call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
        call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
        call_command("loaddata", "fixtures/seed/national.json", verbosity=0)
        call_command("loaddata", "fixtures/reference/advance_rules.json", verbosity=0)
        self.stdout.write("Đã nạp dữ liệu danh mục và dữ liệu từ các bài viết nguồn.")
        if no_demo:
            return
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        accounts = demo_accounts_ensure(password=password)
        call_command("load_demo", verbosity=options["verbosity"])
        call_command("load_demo_national", verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Hoàn tất sau {time.monotonic() - started:.1f} giây."))
        self.stdout.write("")
        agencies = dict(
            StaffProfile.objects.filter(
                agency_id__in=[a.agency_id for a in accounts if a.agency_id]
            ).values_list("agency_id", "agency__name")
        )
        self.stdout.write("Tài khoản demo (cùng một mật khẩu):")
        for account in accounts:
            unit = agencies.get(account.agency_id, "")
            self.stdout.write(f"  {account.username:<20} {GROUP_NAMES[account.role]:<30} {unit}".rstrip())
        self.stdout.write(f"Mật khẩu: {password}")
        self.stdout.write("")
