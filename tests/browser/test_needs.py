"""A household registers a need on a phone and gets a receipt; an officer turns it into a draft đề án."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from accounts.roles import Role
from accounts.services import roles_setup
from needs.models import Need, NeedStatus
from places.models import AdministrativeUnit
from programs.models import FundingSource, PlanAllocation
from projects.models import Project
from tests.factories import AgencyFactory, AnnualPlanFactory, UserFactory

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PASSWORD = "MatKhau@12345"


@pytest.fixture
def cantho(transactional_db):
    call_command("load_places", verbosity=0)
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    groups = roles_setup()
    province = AdministrativeUnit.objects.current().provinces().get(code="92")
    so = AgencyFactory(name="Sở Công Thương thành phố Cần Thơ", province=province)
    officer = UserFactory(username="canbo.cantho", first_name="An", last_name="Nguyễn Văn")
    officer.groups.set([groups[Role.OFFICER]])
    StaffProfile.objects.create(user=officer, agency=so)
    year = timezone.localdate().year + 1
    plan = AnnualPlanFactory(
        province=province,
        year=year,
        kind="kcdp",
        name=f"Kế hoạch khuyến công địa phương năm {year} — Cần Thơ",
    )
    PlanAllocation.objects.create(
        plan=plan, source=FundingSource.objects.get(code="kcdp"), amount=2_000_000_000
    )
    return {"plan": plan}


def shoot(camera, page, name, viewport):
    """Both widths (the camera's), then back to the width the person uses."""
    camera.shoot(page, name)
    page.set_viewport_size(viewport)


def test_a_household_registers_on_a_phone_and_an_officer_drafts_a_project(
    browser, live_server, camera, cantho
):
    phone = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/dang-ky-nhu-cau/")
    shoot(camera, page, "need-form", PHONE)
    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Tên cơ sở / hộ kinh doanh").fill("Hộ kinh doanh Trần Thị Mai")
    page.get_by_label("Loại hình").select_option(label="Hộ kinh doanh")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Cần Thơ")
    page.get_by_label("Xã/phường/đặc khu").fill("xã Trường Xuân A")  # a name of the old map
    page.get_by_label("Thôn, ấp, số nhà").fill("Ấp Trường Ninh")
    page.locator("input[name=content][value]").nth(1).check()
    page.get_by_label("Cơ sở cần gì?").fill("Máy dệt chiếu cói bán tự động")
    page.get_by_label("Kinh phí dự kiến (đồng, ước tính)").fill("150.000.000")
    page.get_by_label("Người liên hệ").fill("Trần Thị Mai")
    # First without a contact: refused with the reason beside the field, what was typed kept.
    page.get_by_label("Tôi đồng ý với nội dung trên").check()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Cần ít nhất số điện thoại hoặc thư điện tử để liên hệ.")).to_be_visible()
    expect(page.get_by_label("Cơ sở cần gì?")).to_have_value("Máy dệt chiếu cói bán tự động")
    shoot(camera, page, "need-form-errors", PHONE)
    assert not Need.objects.exists()
    page.get_by_label("Số điện thoại").fill("0939 123 456")
    page.get_by_label("Tôi đồng ý với nội dung trên").check()
    page.get_by_role("button", name="Gửi đăng ký").click()
    code = page.get_by_test_id("receipt-code")
    expect(code).to_be_visible()
    need = Need.objects.get()
    expect(code).to_have_text(need.receipt_code)
    expect(page.get_by_test_id("need-status")).to_have_text("Đã tiếp nhận, chờ xem xét")
    shoot(camera, page, "need-receipt", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    office = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = office.new_page()
    page.goto(f"{live_server.url}/accounts/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.cantho")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Nhu cầu", exact=True).click()
    camera.shoot(page, "need-list")
    page.get_by_role("link", name=need.receipt_code).click()
    camera.shoot(page, "need-detail")
    page.get_by_label("Kế hoạch năm").select_option(label=cantho["plan"].name)
    page.get_by_role("button", name="Lập dự thảo đề án từ nhu cầu").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lập dự thảo đề án")
    camera.shoot(page, "need-draft-project")
    project = Project.objects.get()
    expect(page.get_by_label("Tên đề án")).to_have_value(project.title)
    assert project.status == "draft" and project.plan == cantho["plan"]
    need.refresh_from_db()
    assert need.status == NeedStatus.PROPOSED and need.beneficiary.name == "Hộ kinh doanh Trần Thị Mai"
    assert project.budget_lines.get().amount == 150_000_000
    office.close()

    phone = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = phone.new_page()
    page.goto(f"{live_server.url}/dang-ky-nhu-cau/tra-cuu/")
    page.get_by_label("Mã biên nhận").fill(need.receipt_code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Đã đưa vào dự thảo đề án")
    shoot(camera, page, "need-status", PHONE)
    phone.close()
