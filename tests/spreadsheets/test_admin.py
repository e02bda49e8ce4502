"""The admin's Excel import goes through the same resources and checks as the staff pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import Beneficiary
from tests.factories import UserFactory

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Tỉnh/thành phố"]


@pytest.fixture
def admin_client(client, loaded_places):
    user = UserFactory(username="quantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def post_file(client, data: bytes):
    url = reverse("admin:beneficiaries_beneficiary_import")
    file = SimpleUploadedFile("co-so.xlsx", data, content_type="application/octet-stream")
    return client.post(url, {"format": "0", "import_file": file, "resource": "0"})


def test_admin_import_previews_then_confirms(admin_client, reference_data):
    data = make_xlsx(HEADERS, [["Hộ dệt chiếu", "Hộ kinh doanh", None, "xã Thới Lai", "Thành phố Cần Thơ"]])
    response = post_file(admin_client, data)
    assert response.status_code == 200
    assert Beneficiary.objects.count() == 0
    form = response.context["confirm_form"]
    assert form is not None, response.context["result"].invalid_rows
    confirm = admin_client.post(reverse("admin:beneficiaries_beneficiary_process_import"), form.initial)
    assert confirm.status_code == 302
    saved = Beneficiary.objects.get()
    assert (saved.name, saved.province.code) == ("Hộ dệt chiếu", "92")


def test_admin_import_with_an_invalid_row_offers_no_confirmation(admin_client, reference_data):
    data = make_xlsx(HEADERS, [["Cơ sở", "Loại lạ", "0000", "xã Không Có", "Thành phố Cần Thơ"]])
    response = post_file(admin_client, data)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    page = response.content.decode()
    assert "Không có loại hình «Loại lạ» trong danh mục." in page
    assert Beneficiary.objects.count() == 0


def test_admin_import_refuses_a_hostile_file_in_vietnamese(admin_client, reference_data):
    response = post_file(admin_client, b"PK\x03\x04 broken")
    assert "Tệp bị hỏng, không mở được như một bảng tính .xlsx." in response.content.decode()
    assert Beneficiary.objects.count() == 0
