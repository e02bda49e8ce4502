"""python manage.py restore --input /var/backups/khuyencong/2026-05-01 --yes"""

from django.core.management.base import BaseCommand, CommandError

from khuyencong.backups import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Phục hồi cơ sở dữ liệu và tài liệu từ một bản sao lưu; THAY THẾ toàn bộ dữ liệu hiện có. "
        "Kiểm tra mã băm trước và số dòng, tổng tiền sau khi phục hồi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="Thư mục bản sao lưu (do lệnh backup tạo).")
        parser.add_argument("--yes", action="store_true", help="Không hỏi lại trước khi thay thế dữ liệu.")
        parser.add_argument(
            "--check-only", action="store_true", help="Chỉ kiểm tra bản sao lưu, không phục hồi."
        )

    def handle(self, *args, input: str, yes: bool, check_only: bool, **options):
        try:
            manifest = verify(input)
            if check_only:
                self.stdout.write(
                    self.style.SUCCESS(f"Bản sao lưu {input} nguyên vẹn ({manifest['created_at']}).")
                )
                return
            if not yes and options.get("interactive", True):
                answer = input_prompt(
                    f"Toàn bộ dữ liệu hiện có sẽ bị thay bằng bản sao lưu lúc {manifest['created_at']}. "
                    "Gõ 'dong y' để tiếp tục: "
                )
                if answer.strip().lower() not in {"dong y", "đồng ý"}:
                    raise CommandError("Đã hủy, không thay đổi gì.")
            restore(input)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã phục hồi từ {input}: {sum(manifest['rows'].values())} dòng dữ liệu và "
                f"{len(manifest['media_files'])} tệp tài liệu; số dòng và tổng tiền khớp bản sao lưu."
            )
        )


def input_prompt(message: str) -> str:
    return input(message)
