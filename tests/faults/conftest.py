"""The short fault checks (`make faults`, run by CI): a private PostgreSQL cluster in a directory of its own on a
free port (never the shared server), the portal served by gunicorn on it, and a few staff logged in.

Skipped unless FAULT_TESTS=1 (they start servers and need the PostgreSQL 15 server programs), so the ordinary
suite stays quick; `make faults` sets it and removes the cluster whatever happens.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from loadtest.cluster import BIN, PrivateCluster, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "KhuyenCong@2025"


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FAULT_TESTS") != "1" or not (BIN / "initdb").exists():
        skip = pytest.mark.skip(reason="FAULT_TESTS=1 and PostgreSQL 15's initdb needed (make faults)")
        for item in items:
            if "tests/faults/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def cluster():
    directory = os.environ.get("FAULTS_PG_DIR")
    if directory is None:
        parent = Path(tempfile.mkdtemp(prefix="kc-faults-"))
        parent.chmod(0o755)
        directory = parent / "pg"
    pg = PrivateCluster(Path(directory), port=int(os.environ.get("FAULTS_PG_PORT") or free_port()),
                        settings={"max_connections": "60"})  # fmt: skip
    try:
        pg.ensure()
        yield pg
    finally:
        pg.destroy()


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def portal(cluster, tmp_path_factory):
    """gunicorn (2 workers × 4 threads) on the private cluster; yields (url, env, process)."""
    cluster.psql("postgres", "CREATE DATABASE khuyencong_faults")
    media = tmp_path_factory.mktemp("media")
    env = {
        **os.environ,
        "DATABASE_URL": cluster.database_url("khuyencong_faults"),
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_MEDIA_ROOT": str(media),
        "KHUYENCONG_JOBS_CACHE_DIR": str(tmp_path_factory.mktemp("jobs")),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Short limits so the hang test is quick: 2 s to connect, 3 s for any answer.
        "DATABASE_CONNECT_TIMEOUT": "2",
        "DATABASE_CLIENT_TIMEOUT": "3",
        "DEMO_PASSWORD": PASSWORD,
    }
    _manage(env, "migrate", "--noinput")
    _manage(env, "bootstrap", "--no-demo")
    _manage(env, "shell", "-c", "import os; from accounts.services import demo_accounts_ensure; "
            "demo_accounts_ensure(password=os.environ['DEMO_PASSWORD'])")  # fmt: skip
    port = free_port()
    log = open(media.parent / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--worker-class", "gthread", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        import requests

        for _ in range(120):
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        yield url, env, process
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        log.close()


def login(url: str, username: str, *, within: float = 20):
    """A logged-in session (retried for a while: the test before may have just ended a fault)."""
    import requests

    began, last = time.monotonic(), None
    while time.monotonic() - began < within:
        session = requests.Session()
        try:
            page = session.get(f"{url}/accounts/dang-nhap/", timeout=10)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if token:
                response = session.post(
                    f"{url}/accounts/dang-nhap/",
                    {
                        "username": username,
                        "password": PASSWORD,
                        "csrfmiddlewaretoken": token.group(1),
                        "next": "/",
                    },
                    headers={"Referer": f"{url}/accounts/dang-nhap/"},
                    timeout=20,
                )
                if "/accounts/dang-nhap/" not in response.url:
                    return session
                last = response.status_code
        except requests.RequestException as error:
            last = error
        time.sleep(0.5)
    raise AssertionError(f"login of {username} failed: {last}")
