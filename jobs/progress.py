"""Live progress of the running job, written where the page that started it can read it every second.

The work itself often runs inside one database transaction (an import is all or nothing), so progress written
to the database would stay invisible until the end, and SQLite would refuse a second writer. Progress and the
worker's heartbeat go to the "jobs" cache instead (a file cache on one machine, Redis across several), keyed
by the task result; the job row keeps the final figures.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

_current: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar("job_progress", default=None)

# A progress update reaches the cache at most this often (the page polls every second).
WRITE_EVERY = 0.5
# ... and at least this often while the job runs, even through a long step that reports nothing (rendering a
# PDF, compressing a workbook): the running thread beside the work writes the figures again with the time
# spent, so the page sees a fresh update every second or so whatever the work does.
REFRESH_EVERY = 1.0


def _cache():
    return caches[settings.JOBS_CACHE]


def _prefix() -> str:
    # Job ids restart in every database (each test database, a restored copy): the key names the database.
    from django.db import connection

    return f"{connection.settings_dict['HOST'] or ''}/{connection.settings_dict['NAME']}"


def _progress_key(job_id: int) -> str:
    return f"job:{_prefix()}:{job_id}:progress"


def _beat_key(job_id: int) -> str:
    return f"job:{_prefix()}:{job_id}:beat"


class Reporter:
    def __init__(self, job_id: int, result_id: str) -> None:
        self.job_id = job_id
        self.result_id = result_id
        self.done = 0
        self.total = 0
        self.message = ""
        self.started = time.monotonic()
        self._written = 0.0
        self._lock = threading.Lock()

    def update(
        self,
        *,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
        advance: int = 0,
        force: bool = False,
    ) -> None:
        if total is not None:
            self.total = total
        if done is not None:
            self.done = done
        self.done += advance
        if message is not None:
            self.message = message
        if force or time.monotonic() - self._written >= WRITE_EVERY:
            self.write()

    def write(self) -> None:
        """Publish the figures now, with the seconds spent so far (the page shows them)."""
        with self._lock:
            now = time.monotonic()
            self._written = now
            try:
                _cache().set(
                    _progress_key(self.job_id),
                    {
                        "done": self.done,
                        "total": self.total,
                        "message": self.message,
                        "result": self.result_id,
                        "elapsed": int(now - self.started),
                        "written": time.time(),
                    },
                    timeout=24 * 3600,
                )
            except OSError:
                # The progress bar is a courtesy: a full disk under the progress files must not fail the work
                # (the heartbeat, which the reaper needs, keeps trying).
                logger.warning("Không ghi được tiến độ việc %s (ổ đĩa?)", self.job_id)

    def stale(self) -> bool:
        return time.monotonic() - self._written >= REFRESH_EVERY


def report(
    *,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    advance: int = 0,
    force: bool = False,
) -> None:
    """Tell the page how far the current job got; does nothing outside a job (pages, commands, tests)."""
    reporter = _current.get()
    if reporter is not None:
        reporter.update(done=done, total=total, message=message, advance=advance, force=force)


def live(job_id: int) -> dict | None:
    return _cache().get(_progress_key(job_id))


def last_beat(job_id: int) -> float | None:
    """Wall-clock time of the worker's last sign of life for this job, or None."""
    return _cache().get(_beat_key(job_id))


def forget(job_id: int) -> None:
    _cache().delete_many([_progress_key(job_id), _beat_key(job_id)])


class running:
    """Context manager around a job's work: installs the reporter and, in a thread beside the work, beats every
    few seconds (a worker killed with SIGKILL stops beating and the reaper can tell) and writes the progress
    again whenever the work has said nothing for REFRESH_EVERY seconds."""

    def __init__(self, job_id: int, result_id: str) -> None:
        self.reporter = Reporter(job_id, result_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True, name=f"job-{job_id}-heartbeat")

    def _beat(self) -> None:
        cache = _cache()
        beat = settings.JOBS_HEARTBEAT_SECONDS
        tick = min(beat, REFRESH_EVERY / 4)
        last_beat = 0.0
        while True:
            now = time.monotonic()
            if now - last_beat >= beat:
                cache.set(_beat_key(self.reporter.job_id), time.time(), timeout=24 * 3600)
                last_beat = now
            if self.reporter.stale():
                self.reporter.write()
            if self._stop.wait(tick):
                return

    def __enter__(self) -> Reporter:
        self._token = _current.set(self.reporter)
        self._thread.start()
        return self.reporter

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        _current.reset(self._token)
