"""Starting jobs (queued only once the caller's transaction commits), and reaping the ones a dead worker left."""

from __future__ import annotations

import datetime
import logging
import time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress
from .models import Job

logger = logging.getLogger(__name__)


def job_start(
    *, actor, handler: str, label: str, params: dict | None = None, subject: str = "", max_attempts: int = 3
) -> Job:
    """Record the job and hand it to the queue when the surrounding transaction commits (never before, so the
    worker never looks for a row that is not there yet, and a rolled-back request queues nothing)."""
    job = Job.objects.create(
        owner=actor if getattr(actor, "is_authenticated", False) else None,
        handler=handler,
        label=label[:255],
        params=params or {},
        subject=subject,
        max_attempts=max_attempts,
    )
    progress.forget(job.pk)  # an id used before in a database since recreated (tests, a restored copy)
    transaction.on_commit(partial(enqueue, job.pk))
    return job


def enqueue(job_id: int, *, delay: datetime.timedelta | None = None) -> None:
    from .tasks import run_job

    deferred = delay is not None and run_job.get_backend().supports_defer
    task = run_job.using(run_after=timezone.now() + delay) if deferred else run_job
    result = task.enqueue(job_id)
    # The immediate backend has already run the job; a real worker may have claimed it: set the id only
    # where nothing newer was recorded.
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(task_result_id=str(result.id))


def is_stale(job: Job, *, now: float | None = None) -> bool:
    """A running job whose worker has not beaten for JOBS_STALE_SECONDS is dead (killed, machine lost)."""
    if job.status != Job.Status.RUNNING:
        return False
    now = time.time() if now is None else now
    beat = progress.last_beat(job.pk)
    if beat is None:
        started = job.started_at.timestamp() if job.started_at else 0
        return now - started > settings.JOBS_STALE_SECONDS
    return now - beat > settings.JOBS_STALE_SECONDS


def job_reap(job: Job) -> bool:
    """Requeue (or, after the last attempt, fail) one job left running by a dead worker; True if reaped."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not is_stale(job):
            return False
        reason = _(
            "Tiến trình xử lý đã dừng đột ngột (lần chạy %(n)s); không có dữ liệu nào được ghi dở."
        ) % {"n": job.attempts}
        _mark_task_result_failed(job.task_result_id)
        progress.forget(job.pk)
        if job.attempts < job.max_attempts:
            job.status = Job.Status.QUEUED
            job.error = reason
            job.save(update_fields=["status", "error"])
            transaction.on_commit(partial(enqueue, job.pk))
        else:
            job.status = Job.Status.FAILED
            job.error = reason
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
    logger.warning("Đã thu hồi việc %s bị bỏ dở (%s).", job.pk, job.handler)
    return True


def _mark_task_result_failed(result_id: str) -> None:
    """The database backend's own row stays RUNNING forever after a SIGKILL; close it too."""
    if not result_id or not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return  # RQ notices a dead work horse itself
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )


def jobs_reap() -> int:
    """Reap every dead job (the `reap_jobs` command, a timer, and each worker start)."""
    return sum(job_reap(job) for job in Job.objects.filter(status=Job.Status.RUNNING))


def jobs_requeue_lost(*, older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Queue again jobs whose hand-over to the queue was lost (the process died between commit and enqueue)."""
    lost = Job.objects.filter(
        status=Job.Status.QUEUED, task_result_id="", created_at__lt=timezone.now() - older_than
    )
    count = 0
    for job_id in lost.values_list("pk", flat=True):
        enqueue(job_id)
        count += 1
    return count
