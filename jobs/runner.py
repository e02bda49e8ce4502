"""Run a job's handler for the worker: claim it, report progress, retry a failure, then record the outcome.

Handlers are thin: each calls the same service as the page that would otherwise do the work, and is safe to
run twice (a finished job is never run again; the services themselves refuse a second import).
"""

from __future__ import annotations

import datetime
import errno
import importlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress
from .models import Job

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[Job], dict | None]] = {}

# Failures that another attempt cannot mend: the reason is shown at once.
PERMANENT = (ValidationError, PermissionDenied, ObjectDoesNotExist)


def handler(name: str):
    """Register `function(job) -> dict | None` under `name` ("app.what"); the module is `app.tasks`."""

    def register(function):
        HANDLERS[name] = function
        return function

    return register


def handler_for(name: str):
    if name not in HANDLERS:
        importlib.import_module(f"{name.split('.', 1)[0]}.tasks")
    return HANDLERS[name]


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "Máy chủ hết chỗ lưu trữ nên chưa ghi được tệp kết quả; không có gì được ghi dở. "
            "Việc sẽ được thử lại; nếu vẫn lỗi, xin báo quản trị hệ thống."
        )
    if isinstance(exc, ValidationError | PermissionDenied) and getattr(exc, "messages", None):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied) and str(exc):
        return str(exc)
    return _("Lỗi khi xử lý (%(kind)s): %(error)s") % {"kind": type(exc).__name__, "error": exc}


def run(job_id: int, result_id: str) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    claimed = _claim(job, result_id)
    if claimed == "waiting":
        from .services import enqueue
        from .tasks import run_job

        # A backend that cannot defer (the immediate one of tests) would run it again at once, for ever.
        if run_job.get_backend().supports_defer:
            enqueue(job.pk, delay=datetime.timedelta(seconds=settings.JOBS_HEAVY_WAIT_SECONDS))
        return "waiting"
    if not claimed:
        return "not queued"
    job.refresh_from_db()
    started = time.monotonic()
    try:
        # The progress thread stops (leaving the block) before a failure is recorded, so it cannot write
        # the failed attempt's figures again after they were forgotten.
        with progress.running(job.pk, result_id) as reporter:
            outcome = handler_for(job.handler)(job) or {}
    except BaseException as exc:
        _failed(job, exc)
        raise
    fields = {
        "status": Job.Status.SUCCEEDED,
        "finished_at": timezone.now(),
        "done": reporter.total or reporter.done,
        "total": reporter.total or reporter.done,
        "message": str(outcome.get("message", ""))[:255],
        "error": "",
    }
    if outcome.get("result_url"):
        fields["result_url"] = outcome["result_url"]
    Job.objects.filter(pk=job.pk).update(**fields)
    progress.forget(job.pk)
    logger.info("Việc %s (%s) xong sau %.1f s", job.pk, job.handler, time.monotonic() - started)
    return "done"


def is_heavy(handler_name: str) -> bool:
    return handler_name in settings.JOBS_HEAVY_HANDLERS


def _claim(job: Job, result_id: str) -> bool | str:
    """Only a queued job runs, so a second delivery (or a copy of a job already running) does nothing.

    A heavy job (a national export) runs only while fewer than JOBS_HEAVY_AT_ONCE heavy jobs are running,
    whichever worker runs them: otherwise it stays queued and is handed to the queue again a little later
    ("waiting"), so however many exports people start, the database and the processors keep room for the
    officers' pages. The count and the claim are one transaction, serialised by a lock."""
    with transaction.atomic():
        if is_heavy(job.handler):
            _lock_heavy_slots()
            running = Job.objects.filter(
                status=Job.Status.RUNNING, handler__in=settings.JOBS_HEAVY_HANDLERS
            ).count()
            if running >= settings.JOBS_HEAVY_AT_ONCE:
                Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                    message=_("Đang chờ lượt: các việc nặng khác đang chạy.")
                )
                return "waiting"
        return bool(
            Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING,
                started_at=timezone.now(),
                attempts=F("attempts") + 1,
                task_result_id=result_id,
                message="",
            )
        )


# Any fixed number: the advisory lock that serialises claims of heavy jobs across workers and machines.
_HEAVY_LOCK = 7_202_620


def _lock_heavy_slots() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_HEAVY_LOCK])
    # SQLite: every transaction already takes the write lock when it begins (IMMEDIATE, settings/base.py).


def _failed(job: Job, exc: BaseException) -> None:
    reason = reason_of(exc)
    logger.warning("Việc %s (%s) lần %s thất bại: %s", job.pk, job.handler, job.attempts, reason)
    retry = not isinstance(exc, PERMANENT) and job.attempts < job.max_attempts
    if retry:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED,
            error=_("Lần %(n)s thất bại, sẽ thử lại: %(reason)s") % {"n": job.attempts, "reason": reason},
        )
        from .services import enqueue

        enqueue(job.pk, delay=datetime.timedelta(seconds=settings.JOBS_RETRY_SECONDS * job.attempts))
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=reason, finished_at=timezone.now()
        )
        progress.forget(job.pk)
