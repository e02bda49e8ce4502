"""A second database machine: reports, dashboards and exports read from a streaming replica, everything else
(and every write) from the primary.

Reads go to the `replica` alias only inside `replica_reads()` (entered by `ReplicaMiddleware` for the report
pages, and by the report jobs), only while the replica answers, and never after a write: a write in the same
request or job pins the rest of it to the primary, and a person who has just saved something is pinned for
`REPLICA_PIN_SECONDS` by a cookie, so nobody reads a page older than their own save. When the replica stops,
the page is read again from the primary (the failure is remembered for `REPLICA_RETRY_SECONDS`).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "kc_primary"

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_allowed", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_wrote", default=False)
_used: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_used", default=False)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_healthy() -> bool:
    """False for a while after the replica failed to answer (no connection attempt per query meanwhile)."""
    return time.monotonic() >= _down_until


def mark_replica_down(exc: BaseException | None = None) -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    logger.warning("Máy chủ đọc (replica) không trả lời, đọc từ máy chủ chính: %s", exc)
    with contextlib.suppress(Exception):
        connections[REPLICA].close()


def mark_replica_up() -> None:
    global _down_until
    _down_until = 0.0


@contextlib.contextmanager
def replica_reads():
    """Reads in this block may go to the replica (until the first write)."""
    tokens = (_allowed.set(True), _wrote.set(False), _used.set(False))
    try:
        yield
    finally:
        for var, token in zip((_allowed, _wrote, _used), tokens, strict=True):
            var.reset(token)


@contextlib.contextmanager
def primary_reads():
    token = _allowed.set(False)
    try:
        yield
    finally:
        _allowed.reset(token)


def replica_was_used() -> bool:
    return _used.get()


def run_with_fallback(function, *args, **kwargs):
    """Call `function` with replica reads; if the replica fails underneath it, call it again on the primary.
    Only for reads that write nothing (report pages, report files)."""
    with replica_reads():
        try:
            return function(*args, **kwargs)
        except DatabaseError as exc:
            if not replica_was_used():
                raise
            mark_replica_down(exc)
    with primary_reads():
        return function(*args, **kwargs)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _allowed.get() or _wrote.get() or not replica_configured() or not replica_healthy():
            return None
        _used.set(True)
        return REPLICA

    def db_for_write(self, model, **hints):
        if _allowed.get():
            _wrote.set(True)  # read-your-writes for the rest of the request or job
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both machines

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's WAL; nothing is migrated there


class ReplicaMiddleware:
    """Report pages (the URL names in REPLICA_URL_NAMESPACES) read from the replica; a person who has just
    written anything is pinned to the primary for a few seconds by a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and response.status_code < 500:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.namespace not in settings.REPLICA_URL_NAMESPACES:
            return None
        if request.COOKIES.get(PIN_COOKIE):
            return None  # just wrote: read it back from the primary

        def view():
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # templates query too: inside the fallback
            return response

        return run_with_fallback(view)
