"""A database server that accepts connections and never answers (stopped, frozen, cut off) must not hold a web
thread: the client-side deadline gives up, and for a moment afterwards the process does not wait again."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import psycopg2
import pytest
from psycopg2 import extensions

from khuyencong import db_deadline


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections (the kernel does) and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def deadline():
    yield db_deadline.install(timeout=1.0, connect_timeout=0.5, pause=1.0)
    db_deadline.uninstall()


def _connect(port: int):
    return psycopg2.connect(host="127.0.0.1", port=port, user="x", dbname="y", sslmode="disable")


def test_a_silent_server_fails_after_the_connect_timeout_then_at_once(silent_server, deadline):
    began = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="did not answer"):
        _connect(silent_server)
    assert 0.4 < time.monotonic() - began < 2
    began = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="a moment ago"):
        _connect(silent_server)
    assert time.monotonic() - began < 0.2


def test_after_the_pause_the_database_is_tried_again(silent_server, deadline):
    with pytest.raises(psycopg2.OperationalError):
        _connect(silent_server)
    time.sleep(1.1)
    began = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="did not answer"):
        _connect(silent_server)
    assert time.monotonic() - began >= 0.4


def test_no_deadline_when_the_timeout_is_zero():
    assert db_deadline.install(timeout=0, connect_timeout=3, pause=2) is False
    assert extensions.get_wait_callback() is None


def _settings(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "KHUYENCONG_WEB"))}
    run_env.update(
        DJANGO_SETTINGS_MODULE="khuyencong.settings.dev", DATABASE_URL="postgres://u@127.0.0.1:1/x", **env
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=run_env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_web_process_has_statement_and_lock_timeouts_and_the_worker_none():
    web = _settings(KHUYENCONG_WEB_PROCESS="1")
    assert web["connect_timeout"] == 3
    assert "-c statement_timeout=6000" in web["options"] and "-c lock_timeout=5000" in web["options"]
    other = _settings()
    assert other["connect_timeout"] == 3 and "statement_timeout" not in other["options"]


def test_the_limits_are_read_from_the_environment():
    web = _settings(
        KHUYENCONG_WEB_PROCESS="1", DATABASE_STATEMENT_TIMEOUT_MS="2500", DATABASE_CONNECT_TIMEOUT="7"
    )
    assert web["connect_timeout"] == 7 and "-c statement_timeout=2500" in web["options"]


@pytest.mark.django_db
def test_a_driver_error_that_escaped_djangos_wrapper_still_means_an_outage():
    """A connection lost while a template iterates a queryset surfaced as the driver's own error (a 500 page
    with a killed postmaster under load): it is an outage too, answered with the Vietnamese 503 page."""

    from django.db import connection
    from django.test import RequestFactory

    from khuyencong.error_pages import is_database_outage, server_error

    error = connection.Database.OperationalError("server closed the connection unexpectedly")
    assert is_database_outage(error)
    assert not is_database_outage(ValueError("x"))
    try:
        raise error
    except Exception:  # noqa: BLE001 - handler500 reads the exception being handled
        response = server_error(RequestFactory().get("/de-an/"))
    assert response.status_code == 503
    assert "Dịch vụ tạm thời gián đoạn" in response.content.decode()
