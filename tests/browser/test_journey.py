"""The đề án journey in a real browser: entry, submission, appraisal, approval, progress, advance,
acceptance, the leader's dashboard, and another province kept out."""

import re

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from accounts.roles import Role
from accounts.services import roles_setup
from places.models import AdministrativeUnit
from programs.models import Agency, FundingSource, Indicator, PlanAllocation, ProgrammeTarget
from projects.models import Project, ProjectStatus
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    CommuneFactory,
    ProgrammeFactory,
    ProvinceFactory,
    UserFactory,
    beneficiary_kind,
    valid_tax_code,
)

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

PASSWORD = "MatKhau@12345"


def make_staff(username, full_name, role, agency, groups):
    user = UserFactory(username=username)
    user.last_name, _sep, user.first_name = full_name.rpartition(" ")
    user.save()
    user.groups.set([groups[role]])
    StaffProfile.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def portal(transactional_db):
    """Two provinces with their people, Cần Thơ's programme and plan of this year, one known beneficiary."""
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/reference/advance_rules.json", verbosity=0)
    groups = roles_setup()
    city = AdministrativeUnit.Kind.THANH_PHO_TW
    cantho = ProvinceFactory(code="92", name="Cần Thơ", full_name="Thành phố Cần Thơ", kind=city)
    haiphong = ProvinceFactory(code="31", name="Hải Phòng", full_name="Thành phố Hải Phòng", kind=city)
    thoi_lai = CommuneFactory(province=cantho, name="Thới Lai", full_name="Xã Thới Lai")
    for name in ("Phong Điền", "Cờ Đỏ", "Vĩnh Thạnh"):
        CommuneFactory(province=cantho, name=name, full_name=f"Xã {name}")
    so = AgencyFactory(name="Sở Công Thương thành phố Cần Thơ", province=cantho)
    centre = AgencyFactory(name="Trung tâm Khuyến công Cần Thơ", kind=Agency.Kind.TRUNG_TAM, province=cantho)
    so_hp = AgencyFactory(name="Sở Công Thương thành phố Hải Phòng", province=haiphong)
    users = {
        "officer": make_staff("canbo.cantho", "Nguyễn Văn An", Role.OFFICER, so, groups),
        "appraiser": make_staff("thamdinh.cantho", "Lê Văn Cường", Role.APPRAISER, so, groups),
        "leader": make_staff("lanhdao.cantho", "Phạm Thị Dung", Role.LEADER, so, groups),
        "centre": make_staff("trungtam.cantho", "Trần Thị Bình", Role.CENTRE, centre, groups),
        "other": make_staff("canbo.haiphong", "Hoàng Văn Em", Role.OFFICER, so_hp, groups),
    }
    year = timezone.localdate().year
    programme = ProgrammeFactory(
        province=cantho,
        name=f"Chương trình khuyến công thành phố Cần Thơ giai đoạn {year}–{year + 4}",
        start_year=year,
        end_year=year + 4,
    )
    ProgrammeTarget.objects.create(
        programme=programme,
        indicator=Indicator.objects.get(code="trainees"),
        description="Đào tạo nghề cho 500 lao động nông thôn",
        min_value=500,
        unit="người",
    )
    plan = AnnualPlanFactory(
        province=cantho,
        programme=programme,
        year=year,
        name=f"Kế hoạch khuyến công địa phương năm {year} — Cần Thơ",
    )
    PlanAllocation.objects.create(
        plan=plan, source=FundingSource.objects.get(code="kcdp"), amount=2_000_000_000
    )
    BeneficiaryFactory(
        province=cantho,
        current_unit=thoi_lai,
        name="Hợp tác xã Đan dây nhựa Thới Lai",
        kind=beneficiary_kind("htx"),
        address="Ấp Thới Phong A",
    )
    return {"users": users, "plan": plan, "year": year, "programme": programme, "thoi_lai": thoi_lai}


class Person:
    """One user in their own browser context."""

    def __init__(self, browser, live_server, camera, username):
        self.base = live_server.url
        self.camera = camera
        self.context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        self.page = self.context.new_page()
        self.page.goto(f"{self.base}/accounts/dang-nhap/")
        self.camera.shoot(self.page, f"login-{username}")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(PASSWORD)
        self.page.get_by_role("button", name="Đăng nhập").click()
        expect(self.page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    def open(self, path, name):
        response = self.page.goto(f"{self.base}{path}")
        self.camera.shoot(self.page, name)
        return response

    def take_step(self, action, label, fields=None, *, shot=None):
        page = self.page
        step = page.locator(f"#step-{action}")
        step.locator("summary").click()
        for selector, value in (fields or {}).items():
            field = page.locator(selector)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
                if field.get_attribute("data-datepicker"):
                    field.press("Tab")  # leave the date field as a person does: its calendar closes
        if shot:
            self.camera.shoot(page, shot)
        step.get_by_role("button", name=f"Xác nhận: {label}").click()
        expect(page.locator(".msg-success")).to_be_visible()

    def status(self):
        return self.page.locator("#project-status").inner_text()

    def close(self):
        self.context.close()


def dashboard_path():
    try:
        return reverse("reports:dashboard")
    except NoReverseMatch:
        return None


def test_a_dean_goes_from_entry_to_acceptance_and_stays_in_its_province(browser, live_server, camera, portal):
    year = portal["year"]
    kcdp = FundingSource.objects.get(code="kcdp")
    counterpart = FundingSource.objects.get(code="doi-ung")
    trainees = Indicator.objects.get(code="trainees")
    today = timezone.localdate()

    # The leader looks at the dashboard before anything happens.
    leader = Person(browser, live_server, camera, "lanhdao.cantho")
    dashboard = dashboard_path()
    before = None
    if dashboard:
        leader.open(dashboard, "dashboard-before")
        before = leader.page.locator("main").inner_text()

    # An officer of Cần Thơ enters the đề án with two beneficiaries and two funding sources.
    officer = Person(browser, live_server, camera, "canbo.cantho")
    officer.open(reverse("projects:list"), "project-list-empty")
    officer.page.get_by_role("link", name="Lập đề án mới").click()
    page = officer.page
    page.get_by_label("Tên đề án").fill("Đào tạo nghề đan dây nhựa cho lao động nông thôn Thới Lai")
    page.get_by_label("Kế hoạch năm").select_option(label=f"{year} — {portal['plan'].name}")
    page.get_by_label("Ngày bắt đầu").fill(f"15/01/{year}")
    page.get_by_label("Ngày bắt đầu").press("Tab")
    page.get_by_label("Ngày kết thúc").fill(f"31/12/{year}")
    page.get_by_label("Ngày kết thúc").press("Tab")
    page.locator("#id_contents_0").check()
    page.get_by_label("Lọc xã/phường theo tên").fill("thoi lai")
    expect(page.locator(".site-option:visible", has_text="Xã Cờ Đỏ")).to_have_count(0)  # filtered out
    page.locator(f"#site-list input[value='{portal['thoi_lai'].pk}']").check()

    # First beneficiary: picked from the list by typing without accents.
    page.locator("#id_beneficiaries-0-label").fill("dan day")
    page.locator(".choice", has_text="Hợp tác xã Đan dây nhựa Thới Lai").click()
    page.locator("#id_beneficiaries-0-support_amount").fill("50.000.000")
    page.locator("#id_beneficiaries-0-counterpart_amount").fill("20000000")
    page.locator("#id_beneficiaries-0-counterpart_committed").check()

    # Second beneficiary: created on the spot, its tax code checked as it is typed.
    page.get_by_role("button", name="+ Thêm cơ sở thụ hưởng").click()
    row = page.locator(".bf-row").nth(1)
    row.locator("summary").click()
    page.locator("#id_beneficiaries-1-new_name").fill("Cơ sở Mây tre đan Út Hiền")
    page.locator("#id_beneficiaries-1-new_kind").select_option(label="Hộ kinh doanh")
    page.locator("#id_beneficiaries-1-new_tax_code").fill("0101245480")
    expect(page.locator("#id_beneficiaries-1-new_tax_code_check")).to_contain_text("sai chữ số kiểm tra")
    page.locator("#id_beneficiaries-1-new_tax_code").fill(valid_tax_code())
    expect(page.locator("#id_beneficiaries-1-new_tax_code_check")).to_contain_text("Mã số thuế hợp lệ")
    page.locator("#id_beneficiaries-1-support_amount").fill("30.000.000")
    page.locator("#id_beneficiaries-1-counterpart_amount").fill("10.000.000")
    page.locator("#id_beneficiaries-1-counterpart_committed").check()

    # Budget from two sources; the totals and the counterpart share follow as they are typed.
    page.locator("#id_budget-0-source").select_option(str(kcdp.pk))
    page.locator("#id_budget-0-content").select_option(index=1)
    page.locator("#id_budget-0-expense_item").fill("Thù lao giảng viên, tài liệu học tập")
    page.locator("#id_budget-0-amount").fill("80.000.000")
    page.get_by_role("button", name="+ Thêm dòng dự toán").click()
    page.locator("#id_budget-1-source").select_option(str(counterpart.pk))
    page.locator("#id_budget-1-content").select_option(index=1)
    page.locator("#id_budget-1-expense_item").fill("Nguyên vật liệu thực hành")
    page.locator("#id_budget-1-amount").fill("30.000.000")
    expect(page.locator("#total-all")).to_have_text("110.000.000")
    expect(page.locator("#counterpart-share")).to_have_text("27,3%")
    page.locator("#id_outputs-0-indicator").select_option(str(trainees.pk))
    page.locator("#id_outputs-0-planned").fill("35")
    camera.shoot(page, "project-entry-filled")

    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator("#project-status")).to_have_text("Dự thảo")
    project = Project.objects.get(title__startswith="Đào tạo nghề đan dây nhựa")
    assert project.beneficiary_links.count() == 2
    assert set(project.budget_lines.values_list("source__code", flat=True)) == {"kcdp", "doi-ung"}
    camera.shoot(page, "project-draft")
    detail = reverse("projects:detail", args=[project.pk])

    # It submits and sends it to appraisal.
    officer.take_step("submit", "Đăng ký (trình) đề án", {"#id_submit-comment": "Kính trình thẩm định"})
    assert officer.status() == "Đã đăng ký"
    officer.take_step("start_appraisal", "Đưa ra thẩm định")
    assert officer.status() == "Đang thẩm định"
    officer.open(reverse("projects:list") + "?q=dan+day+nhua", "project-list-search")
    expect(officer.page.get_by_role("link", name=re.compile("Đào tạo nghề đan dây nhựa"))).to_be_visible()
    officer.open(reverse("beneficiaries:list") + "?q=may+tre", "beneficiary-list")
    officer.page.get_by_role("link", name="Cơ sở Mây tre đan Út Hiền").click()
    camera.shoot(officer.page, "beneficiary-page")
    officer.close()

    # An appraiser scores it.
    appraiser = Person(browser, live_server, camera, "thamdinh.cantho")
    appraiser.open(detail, "project-appraising")
    scores = {f"#id_appraise-{c}": "17" for c in ("score_fit", "score_necessity", "score_efficiency")}
    scores |= {"#id_appraise-score_budget": "16", "#id_appraise-score_capacity": "18"}
    scores |= {"#id_appraise-recommendation": "approve", "#id_appraise-comment": "Đề án cần thiết."}
    appraiser.take_step("appraise", "Chấm phiếu thẩm định", scores, shot="appraisal-form")
    expect(appraiser.page.locator("#h-appraisal")).to_be_visible()
    appraiser.close()

    # The leader approves it.
    leader.open(detail, "project-to-approve")
    leader.take_step(
        "approve",
        "Phê duyệt",
        {
            "#id_approve-decision_number": "125/QĐ-SCT",
            "#id_approve-decision_date": today.strftime("%d/%m/%Y"),
        },
    )
    assert leader.status() == "Đã phê duyệt"

    # The centre signs, starts, reports progress, asks for an advance, records outputs and the acceptance.
    centre = Person(browser, live_server, camera, "trungtam.cantho")
    centre.open(detail, "project-approved")
    centre.take_step(
        "contract",
        "Ký hợp đồng/giao nhiệm vụ",
        {
            "#id_contract-contract_number": "18/HĐ-TTKC",
            "#id_contract-contract_date": today.strftime("%d/%m/%Y"),
        },
    )
    centre.take_step("start", "Bắt đầu thực hiện")
    assert centre.status() == "Đang thực hiện"
    centre.take_step(
        "report_progress",
        "Báo cáo tiến độ tháng",
        {
            "#id_report_progress-month": today.strftime("%m/%Y"),
            "#id_report_progress-percent_complete": "60",
            "#id_report_progress-summary": "Đã mở 1 lớp, 35 học viên đang học.",
        },
    )
    centre.take_step(
        "request_advance",
        "Đề nghị tạm ứng",
        {"#id_request_advance-source": str(kcdp.pk), "#id_request_advance-amount": "24.000.000"},
    )
    centre.take_step(
        "record_outputs", "Ghi nhận kết quả đầu ra", {f"#id_record_outputs-achieved_{trainees.pk}": "35"}
    )
    centre.take_step(
        "accept",
        "Nghiệm thu",
        {"#id_accept-minutes_number": "07/BB-NT", "#id_accept-minutes_date": today.strftime("%d/%m/%Y")},
        shot="acceptance-form",
    )
    assert centre.status() == "Đã nghiệm thu"
    expect(centre.page.locator("#timeline")).to_contain_text("Kính trình thẩm định")
    expect(centre.page.locator("#h-progress + ul")).to_contain_text("60%")
    camera.shoot(centre.page, "project-accepted")
    centre.open(reverse("programs:detail", args=[portal["programme"].pk]), "programme-page")
    expect(centre.page.locator(".targets")).to_contain_text("35 / 500")
    centre.close()

    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTED
    assert project.advances.get().amount == 24_000_000

    # The leader sees the dashboard change: the advance waits on them and the đề án counts as accepted.
    if dashboard:
        leader.open(dashboard, "dashboard-after")
        after = leader.page.locator("main").inner_text()
        assert after != before
        assert project.code not in before and project.code in after  # the advance waits on the leader
        assert "Đã nghiệm thu" in after
        assert "35 / 500" in after
    leader.close()

    # An officer of Hải Phòng cannot open it.
    other = Person(browser, live_server, camera, "canbo.haiphong")
    response = other.open(detail, "other-province-404")
    assert response.status == 404
    other.open(reverse("projects:list"), "other-province-list")
    expect(other.page.get_by_text("Đào tạo nghề đan dây nhựa")).to_have_count(0)

    # Vietnamese first; English when switched.
    other.page.get_by_label("Ngôn ngữ").select_option("en")
    other.page.get_by_role("button", name="Đổi").click()
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Industrial promotion projects")
    expect(other.page.get_by_text("Filters and search")).to_be_visible()
    camera.shoot(other.page, "project-list-english")
    other.close()


def test_entry_warns_at_the_support_cap_and_loses_nothing_when_a_save_fails(
    browser, live_server, camera, portal
):
    kcdp = FundingSource.objects.get(code="kcdp")
    counterpart = FundingSource.objects.get(code="doi-ung")
    officer = Person(browser, live_server, camera, "canbo.cantho")
    officer.open(reverse("projects:create"), "entry-empty")
    page = officer.page
    page.get_by_label("Tên đề án").fill("Mô hình trình diễn máy đan lưới tự động")
    page.get_by_label("Kế hoạch năm").select_option(label=f"{portal['year']} — {portal['plan'].name}")
    page.locator("#id_contents_2").check()  # content 3: demonstration models, capped at 30 % of cost
    expect(page.locator("#cap-3")).to_contain_text("30% chi phí")

    page.locator("#id_budget-0-source").select_option(str(kcdp.pk))
    page.locator("#id_budget-0-content").select_option(index=3)
    page.locator("#id_budget-0-expense_item").fill("Hỗ trợ mua máy đan lưới")
    page.locator("#id_budget-0-amount").fill("150.000.000")
    page.get_by_role("button", name="+ Thêm dòng dự toán").click()
    page.locator("#id_budget-1-source").select_option(str(counterpart.pk))
    page.locator("#id_budget-1-content").select_option(index=3)
    page.locator("#id_budget-1-expense_item").fill("Cơ sở đối ứng mua máy")
    page.locator("#id_budget-1-amount").fill("200.000.000")
    warning = page.locator('[data-cap-warning="3"]')
    expect(warning).to_be_visible()  # 150 of 350 million is 43 %, over 30 %
    camera.shoot(page, "entry-over-cap")
    page.locator("#id_budget-1-amount").fill("350.000.000")
    expect(warning).to_be_hidden()  # 150 of 500 million is 30 %

    # A wrong amount in a row added in the browser: the save fails, the error sits next to that field,
    # and every value typed (the added row included) is still there.
    page.locator("#id_budget-1-amount").fill("3,5 tỷ")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".msg-error")).to_be_visible()
    expect(page.locator("#id_budget-1-amount_error")).to_contain_text("số tiền hợp lệ")
    expect(page.locator("#id_budget-1-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tên đề án")).to_have_value("Mô hình trình diễn máy đan lưới tự động")
    expect(page.locator("#id_budget-1-expense_item")).to_have_value("Cơ sở đối ứng mua máy")
    expect(page.locator("#id_budget-0-amount")).to_have_value("150.000.000")
    expect(page.locator("#id_contents_2")).to_be_checked()
    camera.shoot(page, "entry-failed-save")
    assert not Project.objects.exists()
    officer.close()
