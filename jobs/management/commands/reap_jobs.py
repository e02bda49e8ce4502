"""Find background jobs left running by a worker that died (SIGKILL, a lost machine) and requeue or fail them."""

from django.core.management.base import BaseCommand

from jobs.services import jobs_reap, jobs_requeue_lost


class Command(BaseCommand):
    help = (
        "Thu hồi các việc chạy nền bị bỏ dở (tiến trình xử lý chết giữa chừng) và xếp lại việc bị thất lạc."
    )

    def handle(self, *args, **options):
        reaped = jobs_reap()
        lost = jobs_requeue_lost()
        self.stdout.write(f"Đã thu hồi {reaped} việc bị bỏ dở, xếp lại {lost} việc bị thất lạc.")
