"""Load a synthetic dataset (national or small) for load tests and benchmarks; see the synthetic app."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from synthetic.cleanup import delete_synthetic, synthetic_project_count
from synthetic.generator import Generator
from synthetic.vocabulary import SCALES


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu tổng hợp (đánh dấu is_demo, mã 'syn-', tên '(dữ liệu tổng hợp)') để đo hiệu năng: "
        "--scale national ≈ 500.000 cơ sở, 200.000 đề án, 1.000.000 dòng dự toán."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2025, help="Cùng seed cho cùng dữ liệu.")
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu tổng hợp cũ rồi sinh lại.")

    def handle(self, *args, scale: str, seed: int, reset: bool, **options):
        chosen = SCALES[scale]
        if connection.vendor != "postgresql" and chosen.projects > 10_000:
            raise CommandError("Quy mô national chỉ chạy trên PostgreSQL (đặt DATABASE_URL).")
        existing = synthetic_project_count()
        if existing and not reset:
            if existing == chosen.projects:
                self.stdout.write(f"Đã có dữ liệu tổng hợp quy mô {scale} ({existing} đề án): bỏ qua.")
                return
            raise CommandError(
                f"Đã có {existing} đề án tổng hợp của một quy mô khác: thêm --reset để xóa và sinh lại."
            )
        started = time.monotonic()
        if existing:
            delete_synthetic(log=self.stdout.write)
            self.stdout.write(f"  xóa: {time.monotonic() - started:.1f} giây")
        generator = Generator(chosen, seed=seed, log=self.stdout.write)
        counts = generator.run()
        for table, count in sorted(counts.items()):
            self.stdout.write(f"  {table:<40} {count:>10,}".replace(",", "."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh dữ liệu tổng hợp quy mô {scale} (seed {seed}) sau {time.monotonic() - started:.1f} giây."
            )
        )
