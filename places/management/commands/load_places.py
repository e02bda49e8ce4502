import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from places.services import administrative_units_load
from places.sources import PlaceSourceError


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính trước và sau 01/7/2025 cùng liên kết cũ → mới (chạy lại an toàn)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            summary = administrative_units_load()
        except PlaceSourceError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1) from exc
        elapsed = time.perf_counter() - started
        counts = summary.counts
        for warning in summary.warnings:
            self.stderr.write(warning)
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            _(
                "Đơn vị hành chính: bản đồ mới %(new_provinces)s tỉnh/thành, %(new_communes)s xã/phường/đặc khu; "
                "bản đồ cũ %(old_provinces)s tỉnh/thành, %(old_districts)s quận/huyện, %(old_communes)s "
                "xã/phường/thị trấn; %(links)s liên kết cũ → mới. Thêm mới %(created)s, cập nhật %(updated)s, "
                "giữ nguyên %(unchanged)s; liên kết thêm %(links_created)s, bỏ %(links_removed)s "
                "(%(seconds)s giây)."
            )
            % {
                "new_provinces": _number(counts[("new", 1)]),
                "new_communes": _number(counts[("new", 3)]),
                "old_provinces": _number(counts[("old", 1)]),
                "old_districts": _number(counts[("old", 2)]),
                "old_communes": _number(counts[("old", 3)]),
                "links": _number(summary.links),
                "created": _number(summary.created),
                "updated": _number(summary.updated),
                "unchanged": _number(summary.unchanged),
                "links_created": _number(summary.links_created),
                "links_removed": _number(summary.links_removed),
                "seconds": f"{elapsed:.1f}".replace(".", ","),
            }
        )
        self.stdout.write(
            _("Nguồn dữ liệu: %(versions)s.")
            % {"versions": ", ".join(f"{name} {version}" for name, version in summary.versions.items())}
        )
