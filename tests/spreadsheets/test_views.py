"""Staff pages: template download, upload and preview, confirm, rejected rows, and who may do it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.models import Beneficiary
from spreadsheets.models import ImportJob
from tests.factories import UserFactory

from .conftest import make_xlsx, staff_of

pytestmark = pytest.mark.django_db

HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Số lao động"]
GOOD = ["Hộ đan lát Thới Lai", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", "1.200"]
BAD = ['=HYPERLINK("http://x")', "Hộ kinh doanh", "123", "xã Thới Lai, Cần Thơ", -1]


def upload(client, rows, kind="beneficiaries"):
    data = make_xlsx(HEADERS, rows)
    file = SimpleUploadedFile("co-so.xlsx", data, content_type="application/octet-stream")
    return client.post(reverse("spreadsheets:index"), {"kind": kind, "file": file})


def test_template_has_vietnamese_headers_notes_example_and_drop_downs(
    client, reference_data, can_tho_officer
):
    client.force_login(can_tho_officer)
    response = client.get(reverse("spreadsheets:template", kwargs={"kind": "beneficiaries"}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Cơ sở CNNT"]
    assert [c.value for c in sheet[1]][:4] == [
        "Tên cơ sở (*)",
        "Loại hình (*)",
        "Mã số thuế",
        "Xã/phường (*)",
    ]
    assert sheet["A2"].value.startswith("Hướng dẫn")
    assert sheet["A3"].value == "Cơ sở mây tre đan Thới Lai"
    lists = workbook["Danh mục"]
    assert lists.sheet_state == "hidden"
    columns = {lists.cell(row=1, column=c).value: c for c in range(1, lists.max_column + 1)}
    kinds = [lists.cell(row=r, column=columns["Loại hình"]).value for r in range(2, 9)]
    assert "Hộ kinh doanh" in kinds
    communes = [lists.cell(row=r, column=columns["Xã/phường"]).value for r in range(2, lists.max_row + 1)]
    assert "Xã Thới Lai, Thành phố Cần Thơ" in communes
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert ranges["B3:B5003"].startswith("'Danh mục'!$")


def test_upload_preview_confirm_writes_the_rows(client, reference_data, can_tho_officer):
    client.force_login(can_tho_officer)
    response = upload(client, [GOOD])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "spreadsheets:preview", kwargs={"pk": job.pk}
    )
    assert job.status == ImportJob.Status.PREVIEWED and Beneficiary.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "Xác nhận nhập 1 dòng" in page

    response = client.post(reverse("spreadsheets:confirm", kwargs={"pk": job.pk}), follow=True)
    assert "Đã nhập xong: 1 dòng mới" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED
    assert Beneficiary.objects.get().employees == 1200


def test_rejected_file_shows_errors_and_gives_rows_back_with_their_errors(
    client, reference_data, can_tho_officer
):
    client.force_login(can_tho_officer)
    upload(client, [GOOD, BAD])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    page = client.get(reverse("spreadsheets:preview", kwargs={"pk": job.pk})).content.decode()
    assert "Xác nhận nhập" not in page
    assert "C — Mã số thuế" in page
    response = client.post(reverse("spreadsheets:confirm", kwargs={"pk": job.pk}), follow=True)
    assert "không còn chờ xác nhận" in response.content.decode()
    assert Beneficiary.objects.count() == 0

    rejected = client.get(reverse("spreadsheets:rejected", kwargs={"pk": job.pk}))
    sheet = load_workbook(io.BytesIO(rejected.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Dòng trong tệp", "Lỗi", "Tên cơ sở"]
    assert len(rows) == 2 and rows[1][0] == 3
    assert "Mã số thuế: Mã số thuế «123»" in rows[1][1] and "Số lao động: Không được là số âm" in rows[1][1]
    # Given back as typed, in a text-typed cell: never a formula.
    assert rows[1][2] == '=HYPERLINK("http://x")' and sheet.cell(row=2, column=3).data_type == "s"


def test_hostile_file_is_refused_on_the_page(client, reference_data, can_tho_officer):
    client.force_login(can_tho_officer)
    file = SimpleUploadedFile("co-so.xlsx", b"not a workbook", content_type="application/octet-stream")
    response = client.post(
        reverse("spreadsheets:index"), {"kind": "beneficiaries", "file": file}, follow=True
    )
    assert "Tệp không phải bảng tính Excel (.xlsx)" in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED


def test_another_users_upload_answers_404(client, reference_data, can_tho_officer, can_tho):
    client.force_login(can_tho_officer)
    upload(client, [GOOD])
    job = ImportJob.objects.get()
    colleague = staff_of(can_tho, "dong-nghiep")
    client.force_login(colleague)
    for name in ("preview", "rejected"):
        assert client.get(reverse(f"spreadsheets:{name}", kwargs={"pk": job.pk})).status_code == 404
    assert client.post(reverse("spreadsheets:confirm", kwargs={"pk": job.pk})).status_code == 404
    assert Beneficiary.objects.count() == 0


def test_people_without_an_entry_role_cannot_import(client, reference_data, can_tho):
    client.force_login(UserFactory(username="khach"))
    assert client.get(reverse("spreadsheets:index")).status_code == 403
    client.force_login(staff_of(can_tho, "lanh-dao", role="leader"))
    assert client.get(reverse("spreadsheets:index")).status_code == 403
    client.logout()
    assert client.get(reverse("spreadsheets:index")).status_code == 302


def test_cancel_deletes_the_stored_file(client, reference_data, can_tho_officer):
    client.force_login(can_tho_officer)
    upload(client, [GOOD])
    job = ImportJob.objects.get()
    path = job.file.path
    client.post(reverse("spreadsheets:cancel", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    import os

    assert job.status == ImportJob.Status.CANCELLED and not os.path.exists(path)
