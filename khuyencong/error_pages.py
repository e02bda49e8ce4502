"""The portal's error pages: the database busy or away (503), the plain 500 and 404, whichever the request.

Used by the URLconf's handlers and by khuyencong.middleware, so it imports neither the views nor the
middleware (nothing here needs a session or a user, both of which live in the database)."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("khuyencong.outage")

# Seconds a browser or a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 10


# A write that waited for another and gave up, or lost a deadlock: the database is busy, not away.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
_POSTGRES_BUSY = {"40001", "40P01", "55P03"}


def is_database_busy(exception: BaseException | None) -> bool:
    """Another writer held the lock too long (SQLite's "database is locked", a PostgreSQL deadlock)."""
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__ or exception
    if getattr(cause, "pgcode", None) in _POSTGRES_BUSY:
        return True
    return any(text in str(exception).lower() for text in _SQLITE_BUSY)


def is_database_outage(exception: BaseException | None) -> bool:
    """The database server is down, restarting or unreachable (not a bug in a query, not a busy lock).

    The driver's own errors count too: a connection lost while a template iterates a queryset can surface
    as psycopg2's OperationalError, not Django's wrapper (seen with a killed postmaster under load)."""
    driver = getattr(connection, "Database", None)
    kinds: tuple = (OperationalError, InterfaceError)
    if driver is not None and hasattr(driver, "OperationalError"):
        kinds += (driver.OperationalError, driver.InterfaceError)
    return isinstance(exception, kinds) and not is_database_busy(exception)


def database_busy(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """The database was reachable but busy with other writes for longer than a writer waits: nothing was
    written; the user tries again. Not the outage page, and the connection is kept."""
    logger.warning("Database busy during %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(loader.get_template("errors/busy.html").render(), status=503)
    response["Retry-After"] = "2"
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """The Vietnamese "service temporarily unavailable" page. Rendered without the request context, so it
    needs neither the session nor the user, both of which live in the database."""
    logger.warning("Database unavailable during %s %s: %s", request.method, request.path, exception)
    # Drop the broken connection now; the next request opens a fresh one.
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - the connection is already gone
        pass
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def disk_full(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """The disk for uploads and result files is full: the Vietnamese page; nothing was kept (507)."""
    logger.error("Disk full during %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(loader.get_template("errors/disk_full.html").render(), status=507)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage answers 503; anything else the plain 500 page (no stack trace)."""
    exception = sys.exc_info()[1]
    if is_database_busy(exception) or is_database_busy(getattr(exception, "__cause__", None)):
        return database_busy(request, exception)
    if is_database_outage(exception) or is_database_outage(getattr(exception, "__cause__", None)):
        return database_unavailable(request, exception)
    from .storage import is_disk_full

    if is_disk_full(exception):
        return disk_full(request, exception)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404: the portal's page, or for an address under the API (one that no route matches) the
    same problem details the API gives for a record that is absent or not the key's."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Không tìm thấy."},
            status=404,
            content_type="application/problem+json",
        )
    return HttpResponse(loader.get_template("404.html").render(request=request), status=404)
