"""Build a report file from the command line, e.g. on a schedule:

python manage.py build_report annual --province 92 --year 2018 --format pdf --output bao-cao.pdf
python manage.py build_report annual --province 92 --year 2018 --quarter 3 --format xlsx
python manage.py build_report programme --programme 1 --format pdf
python manage.py build_report national --year 2025 --format xlsx
python manage.py build_report national-programme --year 2026 --format pdf
python manage.py build_report projects --province 92 --year 2018 --format xlsx
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.models import AdministrativeUnit
from programs.models import Programme
from projects.models import Project
from reports import exports
from reports.periods import Period
from reports.selectors import ProjectFilter


class Command(BaseCommand):
    help = "Lập báo cáo khuyến công (PDF hoặc Excel) từ dòng lệnh."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["annual", "programme", "national", "national-programme", "projects", "support"]
        )
        parser.add_argument(
            "--province", help="Mã tỉnh, thành phố theo bản đồ hành chính hiện nay (ví dụ 92)."
        )
        parser.add_argument("--year", type=int)
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--half", type=int, choices=[1, 2])
        period.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--programme", help="Mã số (id) hoặc mã chương trình.")
        parser.add_argument("--format", dest="fmt", choices=exports.FORMATS, default=exports.PDF)
        parser.add_argument("--output", help="Tệp kết quả; mặc định là tên tệp gợi ý trong thư mục hiện tại.")
        parser.add_argument("--stats", action="store_true", help="In thời gian lập và bộ nhớ tối đa.")

    def _province(self, code: str | None) -> AdministrativeUnit:
        if not code:
            raise CommandError("Cần --province (mã tỉnh, ví dụ 92).")
        try:
            return AdministrativeUnit.objects.current().provinces().get(code=code)
        except AdministrativeUnit.DoesNotExist as exc:
            raise CommandError(
                f"Không có tỉnh, thành phố mã {code} trên bản đồ hành chính hiện nay."
            ) from exc

    def _period(self, options) -> Period:
        if not options["year"]:
            raise CommandError("Cần --year.")
        try:
            return Period(options["year"], half=options["half"], quarter=options["quarter"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _programme(self, ref: str | None) -> Programme:
        if not ref:
            raise CommandError("Cần --programme (id hoặc mã chương trình).")
        qs = Programme.objects.all()
        found = qs.filter(pk=int(ref)).first() if ref.isdigit() else qs.filter(code=ref).first()
        if found is None:
            raise CommandError(f"Không có chương trình {ref}.")
        return found

    def handle(self, *args, kind: str, fmt: str, **options):
        started = time.perf_counter()
        if kind == "annual":
            result = exports.annual(
                province=self._province(options["province"]), period=self._period(options), fmt=fmt
            )
        elif kind == "programme":
            result = exports.programme(programme=self._programme(options["programme"]), fmt=fmt)
        elif kind == "national":
            result = exports.national(period=self._period(options), fmt=fmt)
        elif kind == "national-programme":
            if not options["year"]:
                raise CommandError("Cần --year.")
            result = exports.national_programme(year=options["year"], fmt=fmt)
        else:
            province = self._province(options["province"]) if options["province"] else None
            filters = ProjectFilter(province=province, year=options["year"])
            build = exports.project_list if kind == "projects" else exports.support_history
            result = build(
                projects=filters.apply(Project.objects.all()),
                description=filters.describe(),
                fmt=fmt,
                province=province,
            )
        output = Path(options["output"] or result.filename)
        output.write_bytes(result.content)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã lập {output} ({len(result.content):,} byte)".replace(",", "."))
        if options["stats"]:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
            peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
            self.stdout.write(f"Thời gian: {elapsed:.2f} giây; bộ nhớ tối đa: {peak_mb:.0f} MB")
