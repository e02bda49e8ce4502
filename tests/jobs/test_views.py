"""The job page: its owner sees a bar polled every second until the end; anybody else gets 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jobs import progress
from jobs.models import Job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_owner_sees_live_progress_polled_every_second(client):
    owner = UserFactory()
    job = Job.objects.create(
        owner=owner,
        handler="jobs.x",
        label="Nhập tệp lớn",
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    progress.Reporter(job.pk, "r1").update(
        done=250, total=1000, message="Đang kiểm tra từng dòng", force=True
    )
    client.force_login(owner)
    page = client.get(f"/viec-nen/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert (
        'value="25"' in page and "250/1.000" in page.replace(",", ".") and "Đang kiểm tra từng dòng" in page
    )
    fragment = client.get(f"/viec-nen/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment


def test_a_finished_job_stops_polling_and_offers_its_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory()
    job = Job.objects.create(owner=owner, handler="jobs.x", label="Danh sách", status=Job.Status.SUCCEEDED)
    from django.core.files.base import ContentFile

    job.result_file.save("danh-sach.xlsx", ContentFile(b"PK-tep"), save=False)
    job.result_name = "danh-sach-de-an.xlsx"
    job.save()
    client.force_login(owner)
    page = client.get(f"/viec-nen/{job.pk}/").content.decode()
    assert "hx-trigger" not in page and f"/viec-nen/{job.pk}/tep/" in page
    response = client.get(f"/viec-nen/{job.pk}/tep/")
    assert b"".join(response.streaming_content) == b"PK-tep"
    assert "danh-sach-de-an.xlsx" in response["Content-Disposition"]


def test_a_failed_job_shows_its_reason(client):
    owner = UserFactory()
    job = Job.objects.create(
        owner=owner, handler="jobs.x", label="Nhập", status=Job.Status.FAILED, error="Tệp bị hỏng ở dòng 7."
    )
    client.force_login(owner)
    page = client.get(f"/viec-nen/{job.pk}/").content.decode()
    assert "Tệp bị hỏng ở dòng 7." in page and "Thất bại" in page


def test_another_users_job_answers_404(client):
    job = Job.objects.create(owner=UserFactory(), handler="jobs.x", label="Nhập", status=Job.Status.SUCCEEDED)
    client.force_login(UserFactory())
    assert client.get(f"/viec-nen/{job.pk}/").status_code == 404
    assert client.get(f"/viec-nen/{job.pk}/tep/").status_code == 404
