"""python manage.py backup --output /var/backups/khuyencong/2026-05-01"""

from django.core.management.base import BaseCommand, CommandError

from khuyencong.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tài liệu đã tải lên vào một thư mục mới (kèm tệp kiểm tra manifest.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Thư mục mới (hoặc rỗng) để ghi bản sao lưu.")

    def handle(self, *args, output: str, **options):
        try:
            result = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {result.folder}: {sum(manifest['rows'].values())} dòng dữ liệu, "
                f"{len(manifest['media_files'])} tệp tài liệu ({manifest['vendor']})."
            )
        )
