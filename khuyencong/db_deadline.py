"""A client-side deadline for every PostgreSQL call of the web process (DATABASE_CLIENT_TIMEOUT).

The server's own `statement_timeout` cannot help when the server itself stops answering (processes stopped,
a machine frozen, a network that drops packets): the kernel still accepts the connection and acknowledges
what is sent, so a plain libpq call waits for ever and every web thread ends up blocked. psycopg2's wait
callback ("green" mode) lets the client wait with `select()` and give up: the call raises OperationalError,
psycopg2 closes that connection, and the request answers with the Vietnamese 503 page.

After one such timeout the process answers 503 at once for DATABASE_DOWN_PAUSE seconds (a small circuit
breaker), so a hung database costs each thread one timeout, not one per request.

Installed by khuyencong.wsgi only: green mode has no COPY, which the synthetic-data loader uses, and
workers and commands may wait as long as their work needs.
"""

from __future__ import annotations

import select
import threading
import time

import psycopg2
from psycopg2 import extensions

_lock = threading.Lock()
_state = {"down_until": 0.0, "timeout": 0.0, "connect_timeout": 0.0, "pause": 0.0}


class DatabaseDeadline(psycopg2.OperationalError):
    """The database did not answer in time (or did not, a moment ago, in this process)."""


def install(*, timeout: float, connect_timeout: float, pause: float) -> bool:
    """Use the deadline for every psycopg2 connection of this process; False (nothing done) if timeout is 0."""
    if timeout <= 0:
        return False
    _state.update(timeout=timeout, connect_timeout=connect_timeout or timeout, pause=pause, down_until=0.0)
    extensions.set_wait_callback(wait)
    return True


def uninstall() -> None:
    extensions.set_wait_callback(None)


def _trip() -> None:
    with _lock:
        _state["down_until"] = time.monotonic() + _state["pause"]


def wait(connection) -> None:
    """psycopg2's wait callback: poll until the operation finishes, at most the deadline."""
    if time.monotonic() < _state["down_until"]:
        raise DatabaseDeadline("database unreachable a moment ago; not waiting again yet")
    connecting = connection.status == extensions.STATUS_SETUP
    limit = _state["connect_timeout"] if connecting else _state["timeout"]
    deadline = time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            _trip()
            raise DatabaseDeadline(f"database did not answer within {limit:g} s")
        if state == extensions.POLL_READ:
            select.select([connection.fileno()], [], [], left)
        elif state == extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], left)
        else:  # pragma: no cover - psycopg2 documents only the three states
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
