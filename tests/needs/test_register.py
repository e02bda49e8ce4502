"""The public registration page: stored once, refused per field with nothing stored, protected from robots
and floods, and the receipt code leads to the status."""

import pytest
from django.test import override_settings
from django.urls import reverse

from needs.models import Need, NeedStatus

from .conftest import need_post

pytestmark = pytest.mark.django_db

URL = reverse("needs:register")


def test_the_page_opens_without_login_and_states_the_consent(client, needs_world):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Luật Bảo vệ dữ liệu cá nhân" in body
    assert 'name="website"' in body and 'name="token"' in body


def test_a_household_without_tax_code_registers_with_an_old_commune_name(client, needs_world):
    response = client.post(URL, need_post(needs_world))
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:receipt", kwargs={"code": need.receipt_code})
    assert need.unit_at_time.full_name == "Xã Trường Thắng" and need.unit_at_time.era == "old"
    assert need.current_unit.full_name == "Xã Thới Lai" and need.current_unit.era == "new"
    assert need.province == needs_world.cantho
    assert need.estimated_cost == 320_000_000 and need.phone == "0912345678"
    assert need.status == NeedStatus.RECEIVED and "Luật Bảo vệ dữ liệu cá nhân" in need.consent_text
    receipt = client.get(response["Location"]).content.decode()
    assert need.receipt_code in receipt and "Đã tiếp nhận" in receipt


def test_a_bare_name_of_todays_commune_is_read_as_the_commune(client, needs_world):
    client.post(URL, need_post(needs_world, commune="Thới Lai"))
    assert Need.objects.get().unit_at_time.full_name == "Xã Thới Lai"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"commune": "xã Không Có Thật"}, "commune", "Không tìm thấy xã/phường «xã Không Có Thật»"),
        ({"commune": "xã An Lư, huyện Thủy Nguyên"}, "commune", "Không tìm thấy xã/phường"),  # Hải Phòng's
        ({"tax_code": "0101234568"}, "tax_code", "sai chữ số kiểm tra"),
        ({"tax_code": "12345"}, "tax_code", "phải gồm 10 chữ số"),
        ({"phone": "", "email": ""}, "phone", "Cần ít nhất số điện thoại hoặc thư điện tử"),
        ({"phone": "12ab"}, "phone", "Số điện thoại «12ab» không đúng"),
        ({"estimated_cost": "ba trăm triệu"}, "estimated_cost", "không đọc được"),
        ({"consent": ""}, "consent", "Cần đồng ý"),
        ({"name": ""}, "name", "Vui lòng điền mục này."),
        ({"content": ""}, "content", "Vui lòng chọn một mục."),
    ],
)
def test_bad_input_is_refused_per_field_in_vietnamese_and_nothing_is_stored(
    client, needs_world, overrides, field, message
):
    response = client.post(URL, need_post(needs_world, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), errors
    assert not Need.objects.exists()


def test_a_company_kind_needs_a_tax_code(client, needs_world):
    from beneficiaries.models import BeneficiaryKind

    kind = BeneficiaryKind.objects.get(code="dn-nho-va-vua")
    response = client.post(URL, need_post(needs_world, kind=kind.pk))
    assert "phải có mã số thuế" in response.context["form"].errors["tax_code"][0]
    assert not Need.objects.exists()


def test_the_same_need_sent_again_within_minutes_is_stored_once(client, needs_world):
    first = client.post(URL, need_post(needs_world))
    again = client.post(
        URL,
        need_post(needs_world, phone="0912.345.678", description=" Máy sấy nông sản  công suất 500 kg/mẻ"),
    )
    assert Need.objects.count() == 1
    assert first["Location"] == again["Location"]
    other = client.post(URL, need_post(needs_world, content=_content(3)))
    assert other.status_code == 302 and Need.objects.count() == 2


def _content(number):
    from programs.models import ActivityContent

    return ActivityContent.objects.get(number=number).pk


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client, needs_world):
    response = client.post(URL, need_post(needs_world, website="http://spam.example"))
    assert response.status_code == 400 and not Need.objects.exists()


@pytest.mark.parametrize("token", ["", "forged:token", "MTc2.abc:def"])
def test_a_post_without_a_genuine_form_token_is_refused(client, needs_world, token):
    response = client.post(URL, need_post(needs_world, token=token))
    assert response.status_code == 400
    assert "Vui lòng gửi lại" in response.content.decode()
    assert not Need.objects.exists()


@override_settings(NEEDS_MIN_FILL_SECONDS=30)
def test_a_form_sent_faster_than_a_person_types_is_refused_and_keeps_what_was_typed(client, needs_world):
    response = client.post(URL, need_post(needs_world))
    body = response.content.decode()
    assert response.status_code == 400 and "quá nhanh" in body
    assert "Máy sấy nông sản" in body
    assert not Need.objects.exists()


@override_settings(NEEDS_RATE_LIMIT=3, NEEDS_RATE_WINDOW=600)
def test_many_posts_from_one_address_are_slowed_while_another_address_is_served(client, needs_world):
    answers = [
        client.post(
            URL, need_post(needs_world, description=f"Nhu cầu số {n}"), REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    slowed = client.post(URL, need_post(needs_world, description="Nhu cầu số 9"), REMOTE_ADDR="203.0.113.7")
    assert int(slowed["Retry-After"]) > 0 and "thử lại sau" in slowed.content.decode()
    served = client.post(URL, need_post(needs_world, description="Nhu cầu khác"), REMOTE_ADDR="198.51.100.2")
    assert served.status_code == 302
    assert Need.objects.count() == 4


def test_the_receipt_code_is_looked_up_and_an_unknown_one_is_explained(client, needs_world):
    client.post(URL, need_post(needs_world))
    code = Need.objects.get().receipt_code
    found = client.get(reverse("needs:lookup"), {"ma": code.lower()})
    assert found.status_code == 302 and code in found["Location"]
    missing = client.get(reverse("needs:lookup"), {"ma": "NC-AAAA-AAAA"})
    assert missing.status_code == 404 and "Không tìm thấy mã biên nhận" in missing.content.decode()
