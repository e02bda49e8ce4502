"""Every staff page of the planning cycle, at desktop and phone width: it opens, and nothing on it is wider
than a 360 px phone (wide tables scroll inside their own frame)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from accounts.roles import Role
from accounts.services import roles_setup
from beneficiaries.models import Certification
from places.models import AdministrativeUnit
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    CommuneFactory,
    ProgrammeFactory,
    ProvinceFactory,
    UserFactory,
    beneficiary_kind,
)

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def office(transactional_db):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    groups = roles_setup()
    city = AdministrativeUnit.Kind.THANH_PHO_TW
    province = ProvinceFactory(code="92", name="Cần Thơ", full_name="Thành phố Cần Thơ", kind=city)
    commune = CommuneFactory(province=province, name="Thới Lai", full_name="Xã Thới Lai")
    so = AgencyFactory(name="Sở Công Thương thành phố Cần Thơ", province=province)
    officer = UserFactory(username="canbo.cantho", first_name="An", last_name="Nguyễn Văn")
    officer.groups.set([groups[Role.OFFICER]])
    StaffProfile.objects.create(user=officer, agency=so)
    kept = BeneficiaryFactory(
        province=province,
        current_unit=commune,
        name="HTX Mây tre đan Thới Lai",
        kind=beneficiary_kind("htx"),
        tax_code=None,
    )
    BeneficiaryFactory(
        province=province,
        current_unit=commune,
        name="Hợp tác xã Mây tre đan Thới Lai",
        kind=beneficiary_kind("htx"),
    )
    Certification.objects.create(
        beneficiary=kept,
        scheme="ocop",
        product_name="Giỏ mây",
        stars=4,
        year=2025,
        issuer="UBND thành phố Cần Thơ",
        expires_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    programme = ProgrammeFactory(
        province=province,
        level="local",
        name="Chương trình khuyến công Cần Thơ 2026–2030",
        start_year=2026,
        end_year=2030,
    )
    AnnualPlanFactory(province=province, year=timezone.localdate().year)
    return {"beneficiary": kept, "programme": programme}


def test_the_new_staff_pages_fit_desktop_and_phone(browser, live_server, camera, office):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.cantho")
    page.get_by_label("Mật khẩu").fill("MatKhau@12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    b, programme = office["beneficiary"], office["programme"]
    pages = {
        "calendar": "/lich/",
        "programme-new": "/ke-hoach/chuong-trinh/moi/",
        "programme-edit": f"/ke-hoach/chuong-trinh/{programme.pk}/sua/",
        "plan-new": "/ke-hoach/moi/",
        "beneficiary-edit": f"/co-so/{b.pk}/sua/",
        "certification-new": f"/co-so/{b.pk}/chung-nhan/them/",
        "merge": f"/co-so-trung/{b.pk}/?q=may+tre",
        "needs": "/nhu-cau/",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, name
        camera.shoot(page, name)
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, name
        page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/lich/")
    page.get_by_role("button", name="Tạo địa chỉ lịch riêng").click()
    assert "/lich/ical/" in page.get_by_test_id("feed-url").input_value()
    camera.shoot(page, "calendar-feed")
    context.close()
