"""A real worker process (`manage.py jobs_worker`): the database queue by default, RQ on a real Redis when
REDIS_URL is set. Killed with SIGKILL in the middle of an import, it leaves nothing written; the reaper
queues the import again and the next worker finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection

from beneficiaries.models import Beneficiary
from jobs import progress
from jobs.models import Job
from jobs.services import job_reap, job_start
from spreadsheets.models import ImportJob
from tests.spreadsheets.conftest import make_xlsx, staff_of

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
HEADERS = [
    "Tên cơ sở",
    "Loại hình",
    "Mã số thuế",
    "Xã/phường",
    "Tỉnh/thành phố",
    "Số lao động",
    "Phụ nữ làm chủ",
]
ROWS = 12_000  # six batches of 2.000 written inside the import's one transaction


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    user = s["USER"] or "postgres"
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def queue(settings, tmp_path):
    """The test process enqueues where the worker reads: the database backend, or RQ when REDIS_URL is set."""
    if (
        connection.vendor == "sqlite"
        and connection.settings_dict["NAME"] in ("", ":memory:")
        or "mode=memory" in str(connection.settings_dict["NAME"])
    ):
        pytest.skip("the worker process needs the test database in a file")
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        assert "django_rq" in settings.INSTALLED_APPS
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_STALE_SECONDS = 2
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.base",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KHUYENCONG_JOBS_CACHE_DIR": str(django_settings.CACHES["jobs"].get("LOCATION", "")),
        "KHUYENCONG_JOBS_HEARTBEAT_SECONDS": "0.5",
    }
    workers: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "jobs_worker", "--interval", "0.2", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            kill_tree(worker.pid)
        worker.wait(timeout=30)
    if redis_url:
        import django_rq

        django_rq.get_queue("default").empty()


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every descendant (RQ's work horse starts a session of its own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    todo, tree = [pid], []
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    for member in tree:
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(condition, *, timeout: float, what: str, worker: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"worker stopped before {what}: {worker.stdout.read()}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_a_worker_killed_mid_import_leaves_nothing_written_and_the_reaped_job_completes(
    queue, loaded_places, reference_data
):
    from places.models import AdministrativeUnit

    can_tho = AdministrativeUnit.objects.current().provinces().get(code="92")
    officer = staff_of(can_tho, "chuyenvien_nen")
    rows = [
        [
            f"Hộ sản xuất nền {i}",
            "Hộ kinh doanh",
            None,
            "xã Trường Thắng, huyện Thới Lai",
            "Cần Thơ",
            2,
            "Không",
        ]
        for i in range(ROWS)
    ]
    imported = ImportJob(
        owner=officer, kind="beneficiaries", status=ImportJob.Status.PREVIEWED, original_name="lon.xlsx"
    )
    imported.file.save("beneficiaries.xlsx", ContentFile(make_xlsx(HEADERS, rows)), save=False)
    imported.save()
    job = job_start(
        actor=officer, handler="spreadsheets.confirm", label="Nhập", params={"import_job": imported.pk},
        subject=f"spreadsheets.importjob:{imported.pk}",
    )  # fmt: skip

    worker = queue()
    # Past the first batches: rows are in the database, inside the import's open transaction.
    live = wait_for(
        lambda: (p := progress.live(job.pk)) and p["done"] >= 4_500 and p,
        timeout=240, what="the import to pass 4.500 rows", worker=worker,
    )  # fmt: skip
    assert live["total"] == ROWS
    # The whole worker: RQ runs each job in a forked child, which dies too (as when systemd kills the
    # service's control group, or the machine is lost).
    kill_tree(worker.pid)
    worker.wait(timeout=30)

    job.refresh_from_db()
    imported.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1, job.error
    assert Beneficiary.objects.count() == 0  # nothing half-written
    assert imported.status == ImportJob.Status.PREVIEWED

    time.sleep(2.5)  # the heartbeat is silent for longer than JOBS_STALE_SECONDS
    assert job_reap(job)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "dừng đột ngột" in job.error

    second = queue("--max-tasks", "1")
    second.wait(timeout=600)
    job.refresh_from_db()
    imported.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, second.stdout.read()
    assert job.attempts == 2 and job.error == ""
    assert imported.status == ImportJob.Status.IMPORTED
    assert Beneficiary.objects.count() == ROWS


def test_a_worker_sends_queued_mail(queue):
    from tests.factories import UserFactory

    owner = UserFactory()
    job = job_start(
        actor=owner, handler="jobs.send_mail", label="Thư thử",
        params={"messages": [["Nhắc việc", "Nội dung", "khuyencong@localhost", ["a@example.vn"]]]},
    )  # fmt: skip
    worker = queue("--max-tasks", "1")
    worker.wait(timeout=300)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, worker.stdout.read()
    assert job.message == "1/1"
