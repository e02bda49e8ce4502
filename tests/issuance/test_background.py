"""Issuing from the page runs in the background (jobs/): the page shows the job's progress and then links to
the issued report; the same form sent again acts once; a failure consumes no number and shows its reason;
the recipients' mail is its own job, queued after the issuing commits."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from issuance import registry
from issuance.models import IssuedReport, RegisterCounter
from jobs.models import Job
from programs.models import Agency

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _page(world) -> str:
    return reverse("issuance:report") + f"?kind=annual&province={world.province.code}&period={YEAR}"


def _form_token(client, url) -> str:
    return re.search(r'name="request_token" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)


def test_issuing_through_the_page_is_a_job_that_issues_exactly_once(
    world, client, django_capture_on_commit_callbacks
):
    Agency.objects.create(
        name="UBND nhận thư", kind=Agency.Kind.UBND, province=world.province, email="u@example.vn"
    )
    client.force_login(world.leader)
    url = _page(world)
    request = _form_token(client, url)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"request_token": request, "signer_name": "Phạm Thị Dung"})
    # The request only records the job: nothing is issued, no number taken, until the worker runs it.
    job = Job.objects.get(handler="issuance.issue")
    assert response.status_code == 302 and response.url.endswith(f"&viec={job.pk}")
    assert job.status == Job.Status.QUEUED and job.owner == world.leader
    assert not IssuedReport.objects.exists() and not RegisterCounter.objects.exists()
    page = client.get(response.url).content.decode()
    assert f'id="job-{job.pk}"' in page and reverse("jobs:detail", args=[job.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the worker (the test settings' task backend runs it at once)
        # The same form sent again (a double click, the back button) shows the same job and issues nothing.
        again = client.post(url, {"request_token": request, "signer_name": "Phạm Thị Dung"})
    assert again.url == response.url
    assert Job.objects.filter(handler="issuance.issue").count() == 1
    issued = IssuedReport.objects.get()
    assert issued.number == 1 and issued.signer_name == "Phạm Thị Dung"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_url == reverse("issuance:detail", args=[issued.pk])
    progress = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.result_url in progress and issued.number_text in progress
    # The recipients' mail went as a job of its own, after the commit.
    assert Job.objects.get(handler="issuance.mail").status == Job.Status.SUCCEEDED
    assert [m.to for m in mail.outbox] == [["u@example.vn"]]


def test_a_failed_issue_consumes_no_number_and_shows_why(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(world.leader)
    url = _page(world)
    original = registry.IssuableKind.build

    def broken(*args, **kwargs):
        raise RuntimeError("máy in PDF hỏng")

    monkeypatch.setattr(registry.IssuableKind, "build", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"request_token": _form_token(client, url)})
    job = Job.objects.get(handler="issuance.issue")
    assert job.status == Job.Status.FAILED and "máy in PDF hỏng" in job.error
    assert not IssuedReport.objects.exists()
    assert not RegisterCounter.objects.filter(last_number__gt=0).exists()
    assert not Job.objects.filter(handler="issuance.mail").exists()
    assert "máy in PDF hỏng" in client.get(response.url).content.decode()

    monkeypatch.setattr(registry.IssuableKind, "build", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"request_token": _form_token(client, url)})
    assert IssuedReport.objects.get().number == 1  # the failed attempt left no gap


def test_another_persons_job_is_not_shown_on_the_report_page(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.leader)
    url = _page(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"request_token": _form_token(client, url)})
    job = Job.objects.get(handler="issuance.issue")
    client.force_login(world.other_officer)
    assert f'id="job-{job.pk}"' not in client.get(response.url).content.decode()
