"""The router: report pages read from the replica, writes and reads after a write from the primary, and a
replica that fails is replaced by the primary for the same request. The decisions are tested here on any
database; tests/khuyencong/test_replica_streaming.py runs the pages against a real streaming replica."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from khuyencong import db_router
from khuyencong.db_router import PIN_COOKIE, ReplicaRouter, replica_reads, run_with_fallback
from projects.models import Project
from tests.factories import UserFactory


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    db_router.mark_replica_up()
    yield
    db_router.mark_replica_up()


def test_reads_go_to_the_replica_only_inside_a_report_and_until_the_first_write(configured):
    router = ReplicaRouter()
    assert router.db_for_read(Project) is None  # a list page, a form: the primary
    with replica_reads():
        assert router.db_for_read(Project) == "replica"
        assert router.db_for_write(Project) == "default"
        assert router.db_for_read(Project) is None  # read-your-writes for the rest of the request
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("default", "projects") is True


def test_without_a_replica_everything_reads_the_primary(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Project) is None


def test_a_failed_replica_is_left_alone_for_a_while(configured, settings):
    settings.REPLICA_RETRY_SECONDS = 60
    db_router.mark_replica_down(OperationalError("gone"))
    with replica_reads():
        assert ReplicaRouter().db_for_read(Project) is None


def test_a_read_that_fails_on_the_replica_is_read_again_from_the_primary(configured):
    used = []

    def page():
        alias = ReplicaRouter().db_for_read(Project) or "default"
        used.append(alias)
        if alias == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return "trang"

    assert run_with_fallback(page) == "trang"
    assert used == ["replica", "default"]
    assert not db_router.replica_healthy()


def test_an_error_not_from_the_replica_is_not_hidden(configured):
    def page():
        raise OperationalError("primary down")

    with pytest.raises(OperationalError):
        run_with_fallback(page)


@pytest.mark.django_db
def test_a_write_pins_the_person_to_the_primary_and_pinned_reports_skip_the_replica(
    client, configured, monkeypatch
):
    routed = []
    monkeypatch.setattr(db_router, "run_with_fallback", lambda view: routed.append(1) or view())
    client.force_login(UserFactory())
    assert client.get("/bao-cao/tong-quan/").status_code == 200
    assert routed == [1]
    response = client.post("/thu-nhac-viec/", {"reminders": "on", "workflow": "on"})
    assert response.cookies[PIN_COOKIE]["max-age"] == 15
    assert client.get("/bao-cao/tong-quan/").status_code == 200
    assert routed == [1]  # read from the primary: the person sees their own save
    assert client.get("/thu-nhac-viec/").status_code == 200 and routed == [1]  # other pages never read it
