"""Beneficiaries as staff work: edit a record, record certifications, filter the list by them."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Certification
from tests.factories import BeneficiaryFactory, beneficiary_kind, valid_tax_code
from tests.projects.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _form(b, **overrides):
    data = {
        "name": b.name,
        "kind": b.kind_id,
        "tax_code": b.tax_code or "",
        "representative": "Nguyễn Văn Bình",
        "phone": "0912345678",
        "email": "",
        "address": "Ấp 3",
        "current_unit": "",
        "industry": "Mây tre đan",
        "craft_village": "",
        "employees": "25",
    }
    data.update(overrides)
    return data


def test_an_officer_edits_a_record_keeping_its_tax_code(client, world):
    b = BeneficiaryFactory(province=world.own.unit, tax_code=valid_tax_code(), kind=beneficiary_kind("htx"))
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:edit", kwargs={"pk": b.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, _form(b, name="HTX Mây tre đan Thới Lai (sửa)"))
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.name, b.employees, b.representative) == (
        "HTX Mây tre đan Thới Lai (sửa)",
        25,
        "Nguyễn Văn Bình",
    )


def test_an_edit_cannot_take_another_records_tax_code(client, world):
    other = BeneficiaryFactory(province=world.own.unit, tax_code=valid_tax_code())
    b = BeneficiaryFactory(province=world.own.unit, tax_code=valid_tax_code(), kind=beneficiary_kind("htx"))
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("beneficiaries:edit", kwargs={"pk": b.pk}), _form(b, tax_code=other.tax_code)
    )
    assert response.status_code == 400 and "đã có trong danh sách" in response.content.decode()


def test_edit_pages_answer_404_for_another_province_and_403_without_the_role(client, world):
    b = BeneficiaryFactory(province=world.own.unit)
    url = reverse("beneficiaries:edit", kwargs={"pk": b.pk})
    cert = reverse("beneficiaries:certification_add", kwargs={"pk": b.pk})
    assert client.get(url).status_code == 302
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.get(url).status_code == 404 and client.get(cert).status_code == 404
    client.force_login(world.user(Role.LEADER))
    assert client.get(url).status_code == 403 and client.post(cert, {}).status_code == 403


def _cert(**overrides):
    data = {
        "scheme": "ocop",
        "product_name": "Giỏ mây",
        "level": "",
        "stars": "4",
        "year": "2025",
        "score": "",
        "issuer": "UBND thành phố",
        "issued_on": "2025-03-01",
        "expires_on": "2028-03-01",
    }
    data.update(overrides)
    return data


def test_certifications_are_recorded_with_issuer_dates_and_checked(client, world):
    b = BeneficiaryFactory(province=world.own.unit)
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:certification_add", kwargs={"pk": b.pk})
    assert client.post(url, _cert(stars="")).status_code == 400
    assert client.post(url, _cert(scheme="cnnt", stars="", level="")).status_code == 400
    assert client.post(url, _cert(issued_on="2029-01-01")).status_code == 400
    assert not Certification.objects.exists()
    client.post(url, _cert())
    cert = Certification.objects.get()
    assert (cert.stars, cert.issuer, cert.expires_on) == (4, "UBND thành phố", datetime.date(2028, 3, 1))
    page = client.get(reverse("beneficiaries:detail", kwargs={"pk": b.pk})).content.decode()
    assert "UBND thành phố" in page and "01/03/2028" in page
    edit = reverse("beneficiaries:certification_edit", kwargs={"pk": b.pk, "cert_pk": cert.pk})
    client.post(edit, _cert(stars="5"))
    assert Certification.objects.get().stars == 5
    client.post(edit, {"delete": "1"})
    assert not Certification.objects.exists()


def test_the_list_filters_by_valid_certifications(client, world):
    four = BeneficiaryFactory(province=world.own.unit, name="Cơ sở bốn sao")
    three = BeneficiaryFactory(province=world.own.unit, name="Cơ sở ba sao")
    lapsed = BeneficiaryFactory(province=world.own.unit, name="Cơ sở hết hạn")
    national = BeneficiaryFactory(province=world.own.unit, name="Cơ sở tiêu biểu quốc gia")
    Certification.objects.create(beneficiary=four, scheme="ocop", product_name="A", stars=4, year=2025)
    Certification.objects.create(beneficiary=three, scheme="ocop", product_name="B", stars=3, year=2025)
    Certification.objects.create(
        beneficiary=lapsed,
        scheme="ocop",
        product_name="C",
        stars=5,
        year=2020,
        expires_on=datetime.date(2023, 1, 1),
    )
    Certification.objects.create(
        beneficiary=national, scheme="cnnt", product_name="D", level="quoc_gia", year=2024
    )
    client.force_login(world.user(Role.OFFICER))

    def names(value):
        body = client.get(reverse("beneficiaries:list"), {"certification": value}).content.decode()
        return {b.name for b in (four, three, lapsed, national) if b.name in body}

    assert names("ocop-4") == {"Cơ sở bốn sao"}
    assert names("ocop") == {"Cơ sở bốn sao", "Cơ sở ba sao"}
    assert names("cnnt-tinh") == {"Cơ sở tiêu biểu quốc gia"}
