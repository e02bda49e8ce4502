"""Against a real streaming replica (`make replica`; run with DATABASE_REPLICA_URL set, on PostgreSQL): the
dashboard reads the replica, a person who just saved reads the primary, and when the replica is stopped in
the middle of the test the page still answers, from the primary, with no error page."""

from __future__ import annotations

import os
import subprocess
import time

import dj_database_url
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from khuyencong import db_router
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_REPLICA_URL")
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs a streaming replica (make replica; DATABASE_REPLICA_URL) and PostgreSQL",
    ),
]

CLUSTER = ["15", "replica"]


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action, *(["-m", "fast"] if action == "stop" else [])], check=True)  # fmt: skip


@pytest.fixture
def replica():
    """The replica alias pointed at the real replica: the test database, created on the primary, is there too."""
    url = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    alias = connections["replica"]
    saved = dict(alias.settings_dict)
    alias.close()
    alias.settings_dict.update(HOST=url["HOST"], PORT=url["PORT"], NAME=connection.settings_dict["NAME"])
    db_router.mark_replica_up()
    yield alias
    alias.close()
    alias.settings_dict.clear()
    alias.settings_dict.update(saved)
    db_router.mark_replica_up()


def wait_replicated(alias, username: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with alias.cursor() as cursor:
            cursor.execute("SELECT 1 FROM auth_user WHERE username = %s", [username])
            if cursor.fetchone():
                return
        time.sleep(0.1)
    pytest.fail("the row never reached the replica")


def test_the_dashboard_reads_the_replica_and_a_fresh_save_reads_the_primary(client, replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # a real standby, not the primary under another name
    user = UserFactory(username="doc.ban.sao")
    wait_replicated(replica, user.username)
    client.force_login(user)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/bao-cao/tong-quan/").status_code == 200
    assert len(on_replica) > 0

    assert client.post("/thu-nhac-viec/", {"reminders": "on"}).status_code == 302
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/bao-cao/tong-quan/").status_code == 200
    assert len(on_replica) == 0


def test_a_replica_stopped_mid_test_falls_back_to_the_primary_without_an_error_page(client, replica):
    user = UserFactory(username="ban.sao.dung")
    wait_replicated(replica, user.username)
    client.force_login(user)
    assert client.get("/bao-cao/tong-quan/").status_code == 200  # the replica's connection is open now
    pg_ctl("stop")
    try:
        response = client.get("/bao-cao/tong-quan/")
        assert response.status_code == 200
        assert "Tổng quan" in response.content.decode() or "tong-quan" in response.content.decode()
        assert not db_router.replica_healthy()
        response = client.get("/bao-cao/tong-quan/")  # no new attempt for a while: straight to the primary
        assert response.status_code == 200
    finally:
        pg_ctl("start")
        for _ in range(60):
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(replica.settings_dict["PORT"])]).returncode == 0:  # fmt: skip
                break
            time.sleep(0.5)
