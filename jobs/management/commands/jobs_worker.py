"""Start the background worker of whichever queue backend is configured, after reaping what a dead worker left.

`TASKS["default"]` is django-tasks' database backend by default (no extra server) or the RQ backend when
`REDIS_URL` is set; this one command starts the right worker for either, so `make run`, systemd and CI agree.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.services import jobs_reap, jobs_requeue_lost


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý việc nền (cơ sở dữ liệu hoặc Redis, theo cấu hình)."

    def add_arguments(self, parser):
        parser.add_argument("--max-tasks", type=int, default=None, help="Dừng sau chừng ấy việc (kiểm thử).")
        parser.add_argument("--interval", type=float, default=0.5, help="Giây chờ giữa hai lần hỏi hàng đợi.")

    def handle(self, *args, max_tasks=None, interval=0.5, **options):
        if settings.JOBS_WORKER_NICE > 0:
            os.nice(settings.JOBS_WORKER_NICE)
        reaped, lost = jobs_reap(), jobs_requeue_lost()
        if reaped or lost:
            self.stdout.write(f"Đã thu hồi {reaped} việc bị bỏ dở, xếp lại {lost} việc bị thất lạc.")
        backend = settings.TASKS["default"]["BACKEND"]
        verbosity = options.get("verbosity", 1)
        if backend.startswith("django_tasks_rq."):
            extra = ["--max-jobs", str(max_tasks)] if max_tasks else []
            call_command(
                "rqworker",
                *settings.TASKS["default"].get("QUEUES", ["default"]),
                *extra,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                verbosity=verbosity,
            )
        else:
            extra = {"max_tasks": max_tasks} if max_tasks else {}
            call_command(
                "db_worker",
                reload=False,
                interval=interval,
                startup_delay=False,
                verbosity=verbosity,
                **extra,
            )
