"""PDF reports are laid out by a task worker, not in the web request: the link answers with the job's page,
the job keeps the same file the request would have built, and Excel still comes at once."""

import pytest
from django.urls import reverse

from jobs.models import Job

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_background(settings):
    settings.PDF_REPORTS_IN_BACKGROUND = True


def _job_of(response) -> Job:
    assert response.status_code == 302, response.status_code
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    return job


def test_a_provinces_annual_pdf_is_built_by_a_job_with_the_file_of_the_request(
    client, world, in_background, django_capture_on_commit_callbacks, settings
):
    client.force_login(world.leader)
    url = reverse("reports:annual", args=[world.province.code, YEAR, "pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.get(url))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.owner == world.leader and job.handler == "reports.annual"
    assert job.result_name == f"bao-cao-khuyen-cong-{world.province.code.lower()}-{YEAR}.pdf"
    with job.result_file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # The same report in the request (the setting off) has the same name and is a PDF too.
    settings.PDF_REPORTS_IN_BACKGROUND = False
    direct = client.get(url)
    assert direct.status_code == 200 and direct.content.startswith(b"%PDF-")
    assert job.result_name in direct["Content-Disposition"]


def test_excel_is_still_built_in_the_request(client, world, in_background):
    client.force_login(world.leader)
    response = client.get(reverse("reports:annual", args=[world.province.code, YEAR, "xlsx"]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert not Job.objects.exists()


def test_another_provinces_pdf_starts_no_job(client, world, in_background):
    client.force_login(world.other_officer)
    response = client.get(reverse("reports:annual", args=[world.province.code, YEAR, "pdf"]))
    assert response.status_code == 404 and not Job.objects.exists()


def test_programme_and_national_programme_pdfs_are_jobs_too(
    client, world, in_background, django_capture_on_commit_callbacks
):
    client.force_login(world.ministry)
    for url, handler in (
        (reverse("reports:programme", args=[world.programme.pk, "pdf"]), "reports.programme"),
        (reverse("reports:national_programme", args=[YEAR, "pdf"]), "reports.national_programme"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = _job_of(client.get(url))
        job.refresh_from_db()
        assert (job.handler, job.status) == (handler, Job.Status.SUCCEEDED), job.error
        with job.result_file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        job.delete()
