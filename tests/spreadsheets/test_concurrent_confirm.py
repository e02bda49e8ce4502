"""A double-clicked import confirmation: the two POSTs arrive together; the rows are written once, the
second click is told the import is no longer waiting, and nobody sees the outage page."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary
from spreadsheets.models import ImportJob
from tests.conftest import in_thread

from .test_views import GOOD, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_clicked_confirmation_imports_once(client, reference_data, can_tho_officer, shared_database):
    client.force_login(can_tho_officer)
    upload(client, [GOOD, ["Hộ mộc Cờ Đỏ", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", "12"]])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED
    shared_database()
    url = reverse("spreadsheets:confirm", kwargs={"pk": job.pk})
    start = threading.Barrier(2)
    responses: list = [None, None]

    def click(index):
        try:
            browser = Client()
            browser.force_login(can_tho_officer)
            start.wait(timeout=30)
            responses[index] = browser.post(url, follow=True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    pages = [r.content.decode() for r in responses]
    assert [r.status_code for r in responses] == [200, 200], pages
    assert not any("không kết nối được cơ sở dữ liệu" in page for page in pages)
    assert sum("Đã nhập xong: 2 dòng mới" in page for page in pages) == 1
    assert sum("Lần nhập này không còn chờ xác nhận" in page for page in pages) == 1

    def written():
        return Beneficiary.objects.count(), ImportJob.objects.get(pk=job.pk).status

    assert in_thread(written) == (2, ImportJob.Status.IMPORTED)
