"""Jobs run once, report progress, retry a failure and then show it as failed with its reason."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobs import progress
from jobs.models import Job
from jobs.runner import handler, run
from jobs.services import job_reap, job_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@handler("jobs.test_counts")
def _counts(job):
    CALLS.append(job.pk)
    for i in range(3):
        progress.report(done=i + 1, total=3, message="bước", force=True)
    return {"message": "xong"}


@handler("jobs.test_flaky")
def _flaky(job):
    CALLS.append(job.pk)
    if len(CALLS) < job.params["fail_times"] + 1:
        raise ConnectionError("máy chủ thư không trả lời")
    return {}


@handler("jobs.test_refused")
def _refused(job):
    CALLS.append(job.pk)
    raise ValidationError("Tệp không còn chờ xác nhận.")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()


def start(django_capture_on_commit_callbacks, handler_name, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=UserFactory(), handler=handler_name, label="thử", **kwargs)
    job.refresh_from_db()
    return job


def test_a_job_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(actor=UserFactory(), handler="jobs.test_counts", label="thử")
    assert CALLS == [] and len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_a_job_runs_records_its_figures_and_never_runs_twice(django_capture_on_commit_callbacks):
    job = start(django_capture_on_commit_callbacks, "jobs.test_counts")
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.message, job.attempts, job.percent) == (3, 3, "xong", 1, 100)
    assert job.task_result_id
    assert run(job.pk, job.task_result_id) == "not queued"
    assert CALLS == [job.pk]


def test_a_failing_job_is_retried_then_succeeds(django_capture_on_commit_callbacks):
    job = start(django_capture_on_commit_callbacks, "jobs.test_flaky", params={"fail_times": 2})
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 3 and len(CALLS) == 3


def test_a_job_failing_every_attempt_is_shown_failed_with_its_reason(django_capture_on_commit_callbacks):
    job = start(
        django_capture_on_commit_callbacks, "jobs.test_flaky", params={"fail_times": 99}, max_attempts=3
    )
    assert job.status == Job.Status.FAILED
    assert job.attempts == 3 and len(CALLS) == 3
    assert "máy chủ thư không trả lời" in job.error and "ConnectionError" in job.error
    assert job.finished_at is not None


def test_a_refusal_is_not_retried_and_its_message_is_the_reason(django_capture_on_commit_callbacks):
    job = start(django_capture_on_commit_callbacks, "jobs.test_refused")
    assert job.status == Job.Status.FAILED and job.attempts == 1
    assert job.error == "Tệp không còn chờ xác nhận."


def test_the_reaper_requeues_a_job_whose_worker_stopped_beating(settings, django_capture_on_commit_callbacks):
    settings.JOBS_STALE_SECONDS = 30
    job = Job.objects.create(
        owner=UserFactory(), handler="jobs.test_counts", label="thử", status=Job.Status.RUNNING, attempts=1,
        started_at=timezone.now() - datetime.timedelta(minutes=5), task_result_id="0d5c1a2e-7b7e-4d8e-9a59-3f3c0a5f2b11",
    )  # fmt: skip
    progress._cache().set(progress._beat_key(job.pk), time.time() - 120)
    with django_capture_on_commit_callbacks(execute=True):
        assert job_reap(job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2 and CALLS == [job.pk]


def test_the_reaper_leaves_a_beating_job_and_fails_one_out_of_attempts(settings):
    settings.JOBS_STALE_SECONDS = 30
    job = Job.objects.create(
        owner=UserFactory(), handler="jobs.test_counts", label="thử", status=Job.Status.RUNNING, attempts=3,
        max_attempts=3, started_at=timezone.now() - datetime.timedelta(minutes=5),
    )  # fmt: skip
    progress._cache().set(progress._beat_key(job.pk), time.time())
    assert not job_reap(job)
    progress._cache().set(progress._beat_key(job.pk), time.time() - 31)
    assert job_reap(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "dừng đột ngột" in job.error


def test_a_heavy_job_beyond_the_limit_waits_its_turn_then_runs(settings, django_capture_on_commit_callbacks):
    settings.JOBS_HEAVY_HANDLERS = ("jobs.test_counts",)
    settings.JOBS_HEAVY_AT_ONCE = 1
    busy = Job.objects.create(
        handler="jobs.test_counts",
        label="xuất toàn quốc",
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    job = start(django_capture_on_commit_callbacks, "jobs.test_counts")
    assert job.status == Job.Status.QUEUED and job.attempts == 0
    assert "chờ lượt" in job.message and CALLS == []
    Job.objects.filter(pk=busy.pk).update(status=Job.Status.SUCCEEDED)
    assert run(job.pk, "lan-sau") == "done"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and CALLS == [job.pk] and job.message == "xong"


def test_the_limit_counts_heavy_jobs_only(settings, django_capture_on_commit_callbacks):
    settings.JOBS_HEAVY_HANDLERS = ("jobs.test_flaky",)
    settings.JOBS_HEAVY_AT_ONCE = 1
    Job.objects.create(
        handler="jobs.test_flaky",
        label="xuất toàn quốc",
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    job = start(django_capture_on_commit_callbacks, "jobs.test_counts")
    assert job.status == Job.Status.SUCCEEDED and CALLS == [job.pk]


def test_two_heavy_jobs_may_run_when_the_limit_is_two(settings, django_capture_on_commit_callbacks):
    settings.JOBS_HEAVY_HANDLERS = ("jobs.test_counts",)
    settings.JOBS_HEAVY_AT_ONCE = 2
    Job.objects.create(
        handler="jobs.test_counts",
        label="xuất toàn quốc",
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    job = start(django_capture_on_commit_callbacks, "jobs.test_counts")
    assert job.status == Job.Status.SUCCEEDED


def test_a_full_disk_is_given_as_a_clear_reason():
    import errno

    from jobs.runner import reason_of

    assert "hết chỗ lưu trữ" in reason_of(OSError(errno.ENOSPC, "No space left on device"))
