"""A long job keeps the page that started it fresh: a progress update reaches the page at least every 2 s,
also through a step of several seconds that reports nothing (a PDF being rendered, a workbook compressed)."""

from __future__ import annotations

import re
import threading
import time

import pytest

from jobs import progress
from jobs.models import Job
from jobs.runner import handler, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SILENT_STEP = 3.5  # seconds without a word from the work: longer than the 2 s the page may wait


@handler("jobs.test_silent_step")
def _silent_step(job):
    progress.report(done=0, total=2, message="bắt đầu", force=True)
    time.sleep(SILENT_STEP)
    progress.report(done=1, total=2, message="bước dài xong", force=True)
    time.sleep(SILENT_STEP)
    progress.report(done=2, total=2, force=True)
    return {"message": "xong"}


def _hint(fragment: str) -> str:
    found = re.search(r'<p class="hint">(.*?)</p>', fragment, re.S)
    return found.group(1).strip() if found else ""


def _watch(client, job, worker: threading.Thread) -> list[tuple[float, str]]:
    """Poll the job's bar (the HTMX request the page sends every second) ten times a second; return the
    moments its text changed while the job ran."""
    changes: list[tuple[float, str]] = []
    last = None
    while worker.is_alive():
        fragment = client.get(f"/viec-nen/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
        hint = _hint(fragment)
        if "Đang chạy" in fragment and hint != last:
            changes.append((time.monotonic(), hint))
            last = hint
        time.sleep(0.1)
    return changes


def _run_watched(client):
    owner = UserFactory()
    job = Job.objects.create(owner=owner, handler="jobs.test_silent_step", label="Việc dài")
    client.force_login(owner)
    worker = threading.Thread(target=run, args=(job.pk, "r-cadence"))
    started = time.monotonic()
    worker.start()
    changes = _watch(client, job, worker)
    worker.join()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    return started, changes


def _gaps(started: float, changes: list[tuple[float, str]]) -> list[float]:
    moments = [started] + [t for t, _hint in changes]
    return [b - a for a, b in zip(moments, moments[1:], strict=False)]


def test_the_page_gets_an_update_at_least_every_two_seconds_through_a_silent_step(client):
    started, changes = _run_watched(client)
    assert len(changes) >= 5, changes
    assert max(_gaps(started, changes)) <= 2.0, changes
    # What changes through the silent step is the time spent, shown to the person waiting.
    assert any("đã chạy 2 giây" in hint for _t, hint in changes), changes


def test_without_the_refresh_the_silent_step_leaves_the_page_waiting(client, monkeypatch):
    """The check above can fail: with the refresh switched off, the page waits out the whole silent step."""
    monkeypatch.setattr(progress, "REFRESH_EVERY", 3600.0)
    started, changes = _run_watched(client)
    assert max(_gaps(started, changes)) > 3.0, changes
