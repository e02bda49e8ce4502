"""Next year's plan in a real browser: the officer builds it from proposals with a running total,
leadership approves it, an adjustment is approved, and the report of a quarter before the adjustment still
shows the plan as first approved."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from accounts.roles import Role
from accounts.services import roles_setup
from places.models import AdministrativeUnit
from planning.models import PlanVersion, VersionStatus
from programs.models import ActivityContent, AnnualPlan, FundingSource
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, UserFactory
from tests.projects.conftest import ready_project

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

PASSWORD = "MatKhau@12345"


@pytest.fixture
def cantho(transactional_db):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    groups = roles_setup()
    city = AdministrativeUnit.Kind.THANH_PHO_TW
    province = ProvinceFactory(code="92", name="Cần Thơ", full_name="Thành phố Cần Thơ", kind=city)
    CommuneFactory(province=province, name="Thới Lai", full_name="Xã Thới Lai")
    so = AgencyFactory(name="Sở Công Thương thành phố Cần Thơ", province=province)
    for username, first, last, role in (
        ("canbo.cantho", "An", "Nguyễn Văn", Role.OFFICER),
        ("lanhdao.cantho", "Dung", "Phạm Thị", Role.LEADER),
    ):
        user = UserFactory(username=username, first_name=first, last_name=last)
        user.groups.set([groups[role]])
        StaffProfile.objects.create(user=user, agency=so)
    return province


def login(browser, live_server, username):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return context, page


def report_plan_row(page, base, year, quarter, plan_name):
    """The plan's row (decision, allocated money) in the quarter's annual report workbook, as downloaded."""
    response = page.request.get(f"{base}/bao-cao/ke-hoach/92/{year}-q{quarter}.xlsx")
    assert response.ok
    book = openpyxl.load_workbook(io.BytesIO(response.body()))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if plan_name in row:
                return row
    raise AssertionError("plan not in the report")


def test_next_years_plan_is_built_approved_adjusted_and_reported_by_version(
    browser, live_server, camera, cantho
):
    year = timezone.localdate().year + 1
    name = f"Kế hoạch khuyến công địa phương năm {year}"
    context, page = login(browser, live_server, "canbo.cantho")
    page.goto(f"{live_server.url}/chuong-trinh/ke-hoach/")
    page.get_by_role("link", name="Mở kế hoạch năm mới").click()
    page.get_by_label("Năm kế hoạch").fill(str(year))
    page.get_by_label("Tên kế hoạch").fill(name)
    page.get_by_label("Kinh phí dự kiến được giao (đồng)").fill("500.000.000")
    camera.shoot(page, "plan-open")
    page.get_by_role("button", name="Mở kế hoạch").click()
    expect(page.get_by_role("heading", name="Lập kế hoạch từ các đề xuất")).to_be_visible()

    # The đề án registered for next year (the needs journey makes such drafts; here they are given).
    plan = AnnualPlan.objects.get(year=year)
    first = ready_project(plan, amount=300_000_000, status="submitted", title="Máy sấy nông sản Thới Lai")
    second = ready_project(plan, amount=250_000_000, status="submitted", title="Đào tạo nghề đan lát")
    page.reload()
    page.get_by_label(first.title).check()
    expect(page.get_by_test_id("plan-total")).to_have_text("300.000.000")
    page.get_by_label(second.title).check()
    expect(page.get_by_test_id("plan-total")).to_have_text("550.000.000")
    expect(page.get_by_text("Vượt mức dự kiến")).to_be_visible()
    camera.shoot(page, "plan-build-over")
    page.get_by_label(second.title).uncheck()
    expect(page.get_by_test_id("plan-left")).to_have_text("200.000.000")
    page.get_by_role("button", name="Lưu dự thảo kế hoạch").click()
    page.get_by_role("button", name="Trình UBND").click()
    expect(page.get_by_test_id("open-status")).to_have_text("Đã trình UBND")
    context.close()

    context, page = login(browser, live_server, "lanhdao.cantho")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_label("Số quyết định").fill("05/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(f"{year}-01-10")
    camera.shoot(page, "plan-approve")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi nhận quyết định phê duyệt")
    context.close()

    context, page = login(browser, live_server, "canbo.cantho")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_role("link", name="Điều chỉnh kế hoạch").click()
    page.get_by_label("Lý do điều chỉnh").fill("Bổ sung đề án đào tạo nghề đan lát")
    kcdp, first_content = FundingSource.objects.get(code="kcdp"), ActivityContent.objects.get(number=1)
    page.locator(f"input[name=m_{kcdp.pk}_{first_content.pk}]").fill("550.000.000")
    camera.shoot(page, "plan-adjust")
    page.get_by_role("button", name="Lưu dự thảo điều chỉnh").click()
    expect(page.get_by_test_id("open-status")).to_have_text("Dự thảo")
    page.get_by_role("button", name="Trình UBND").click()
    context.close()

    context, page = login(browser, live_server, "lanhdao.cantho")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_label("Số quyết định").fill("88/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(f"{year}-07-15")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.get_by_test_id("version-2-source-kcdp")).to_have_text("550.000.000")
    camera.shoot(page, "plan-versions")
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", "status")) == [
        (1, VersionStatus.APPROVED),
        (2, VersionStatus.APPROVED),
    ]

    before = report_plan_row(page, live_server.url, year, 2, name)
    after = report_plan_row(page, live_server.url, year, 3, name)
    assert any("05/QĐ-UBND" in str(c) for c in before) and 300_000_000 in before
    assert any("88/QĐ-UBND" in str(c) for c in after) and 550_000_000 in after
    context.close()
