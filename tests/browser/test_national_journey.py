"""The national programme in a real browser: a Cần Thơ Centre registers a national đề án (late, with its
reason), the Sở appraises and forwards it, the Cục takes it up and its council scores it, the Cục drafts the
national plan (a line above the total is refused with the figures) and the leadership records the
Minister's decision, then contract, monthly progress, advance, disbursement, acceptance by the Sở, closure
and settlement; the Ministry's desk is photographed at desktop and phone width."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import roles_setup
from programs.models import Agency, AnnualPlan, FundingSource, Indicator
from projects.models import NationalPlan, Project, ProjectStatus
from tests.factories import AnnualPlanFactory

from .conftest import PHONE, SCREENSHOTS
from .test_journey import Person, make_staff, portal  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def national(portal):  # noqa: F811 (the fixture imported above)
    groups = roles_setup()
    cuc = Agency.objects.create(
        name="Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", kind=Agency.Kind.CUC
    )
    make_staff("chuyenvien.cuc", "Ngô Thị Hà", Role.CUC_OFFICER, cuc, groups)
    make_staff("hoidong.bo", "Trịnh Văn Khoa", Role.CUC_COUNCIL, cuc, groups)
    make_staff("lanhdao.cuc", "Lý Thị Mai", Role.CUC_LEADER, cuc, groups)
    year = timezone.localdate().year + 1  # registered this year for next year's national plan
    part = AnnualPlanFactory(
        province=portal["plan"].province,
        year=year,
        kind=AnnualPlan.Kind.NATIONAL,
        name=f"Đề án khuyến công quốc gia năm {year} thực hiện tại Cần Thơ",
    )
    return {**portal, "year": year, "part": part}


def test_a_national_project_goes_from_the_centre_through_the_ministry_to_settlement(
    browser, live_server, camera, national
):
    year = national["year"]
    today = timezone.localdate()
    kcqg = FundingSource.objects.get(code="kcqg")
    trainees = Indicator.objects.get(code="trainees")

    # The Centre of Cần Thơ enters the national đề án.
    centre = Person(browser, live_server, camera, "trungtam.cantho")
    centre.open(reverse("projects:list"), "centre-list")
    centre.page.get_by_role("link", name="Lập đề án mới").click()
    page = centre.page
    page.get_by_label("Tên đề án").fill("Đào tạo nghề may công nghiệp cho lao động nông thôn Phong Điền")
    page.get_by_label("Kế hoạch năm").select_option(label=f"{year} — {national['part'].name}")
    # The work starts this month (its monthly reports are due from now) and ends in the plan's year.
    page.get_by_label("Ngày bắt đầu").fill(today.replace(day=1).strftime("%d/%m/%Y"))
    page.get_by_label("Ngày bắt đầu").press("Tab")
    page.get_by_label("Ngày kết thúc").fill(f"30/11/{year}")
    page.get_by_label("Ngày kết thúc").press("Tab")
    page.locator("#id_contents_0").check()
    page.locator(f"#site-list input[value='{national['thoi_lai'].pk}']").check()
    page.locator("#id_beneficiaries-0-label").fill("dan day")
    page.locator(".choice", has_text="Hợp tác xã Đan dây nhựa Thới Lai").click()
    page.locator("#id_beneficiaries-0-support_amount").fill("150.000.000")
    page.locator("#id_beneficiaries-0-counterpart_committed").check()
    page.locator("#id_budget-0-source").select_option(str(kcqg.pk))
    page.locator("#id_budget-0-content").select_option(index=1)
    page.locator("#id_budget-0-expense_item").fill("Thù lao giáo viên, vật tư thực hành")
    page.locator("#id_budget-0-amount").fill("150.000.000")
    page.locator("#id_outputs-0-indicator").select_option(str(trainees.pk))
    page.locator("#id_outputs-0-planned").fill("100")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator("#project-status")).to_have_text("Dự thảo")
    project = Project.objects.get(title__startswith="Đào tạo nghề may công nghiệp")
    assert project.kind == Project.Kind.NATIONAL
    detail = reverse("projects:detail", args=[project.pk])
    expect(page.locator("#deadlines")).to_contain_text("20/05")

    # Registered after 20 May: refused without a reason, accepted with it.
    step = page.locator("#step-submit")
    step.locator("summary").click()
    step.get_by_role("button", name="Xác nhận: Đăng ký (trình) đề án").click()
    expect(page.locator("#step-submit .form-errors")).to_contain_text("lý do nộp muộn")
    camera.shoot(page, "late-registration-refused")
    expect(page.locator("#step-submit")).to_have_attribute("open", "")  # the refused form stays open
    page.locator("#id_submit-late_reason").fill("Chờ kết quả khảo sát nhu cầu của các cơ sở")
    page.locator("#step-submit").get_by_role("button", name="Xác nhận: Đăng ký (trình) đề án").click()
    expect(page.locator(".msg-success")).to_be_visible()
    assert centre.status() == "Đã đăng ký"

    # The Sở appraises locally and forwards it to the Cục.
    officer = Person(browser, live_server, camera, "canbo.cantho")
    officer.open(detail, "so-registered")
    officer.take_step("start_appraisal", "Đưa ra thẩm định")
    appraiser = Person(browser, live_server, camera, "thamdinh.cantho")
    appraiser.open(detail, "so-appraising")
    scores = {f"#id_appraise-{c}": "17" for c in ("score_fit", "score_necessity", "score_efficiency")}
    scores |= {"#id_appraise-score_budget": "16", "#id_appraise-score_capacity": "18"}
    scores |= {"#id_appraise-recommendation": "approve"}
    appraiser.take_step("appraise", "Chấm phiếu thẩm định", scores)
    appraiser.close()
    leader = Person(browser, live_server, camera, "lanhdao.cantho")
    leader.open(detail, "so-to-forward")
    leader.take_step("forward", "Gửi Cục (sau thẩm định cấp cơ sở)")
    assert leader.status() == "Sở đã gửi Cục"
    expect(leader.page.locator("#step-cuc_receive")).to_have_count(0)  # the Cục's step is not the Sở's
    leader.close()

    # The Cục takes it up from its desk; its council scores it.
    cuc = Person(browser, live_server, camera, "chuyenvien.cuc")
    cuc.open(reverse("projects:national_desk"), "desk-officer")
    expect(cuc.page.locator("#tasks-title + ul")).to_contain_text(project.code)
    cuc.page.get_by_role("link", name=f"{project.code} — {project.title}").click()
    cuc.take_step("cuc_receive", "Cục tiếp nhận, đưa ra thẩm định")
    assert cuc.status() == "Cục đang thẩm định"
    council = Person(browser, live_server, camera, "hoidong.bo")
    council.open(detail, "council")
    council.take_step(
        "cuc_appraise",
        "Chấm phiếu thẩm định của Bộ",
        {k.replace("appraise", "cuc_appraise"): v for k, v in scores.items()},
    )
    council.close()

    # The Cục drafts the national plan; a line above the plan's total is refused with the figures.
    cuc.open(reverse("projects:national_desk"), "desk-before-plan")
    cuc.page.locator("summary", has_text="Lập kế hoạch năm mới").click()
    cuc.page.get_by_label("Năm kế hoạch").fill(str(year))
    cuc.page.get_by_label("Tên kế hoạch").fill(f"Kế hoạch khuyến công quốc gia năm {year}")
    cuc.page.get_by_label("Tổng kinh phí khuyến công quốc gia (đồng)").fill("100.000.000")
    cuc.page.get_by_role("button", name="Lập kế hoạch").click()
    expect(cuc.page.locator("h1")).to_have_text(f"Kế hoạch khuyến công quốc gia năm {year}")
    plan = NationalPlan.objects.get(year=year)
    cuc.page.get_by_label("Đề án (Cục đang thẩm định)").select_option(str(project.pk))
    cuc.page.locator("#id_content").select_option(index=1)
    cuc.page.get_by_label("Kinh phí khuyến công quốc gia (đồng)").fill("150.000.000")
    cuc.page.get_by_role("button", name="Ghi vào kế hoạch").click()
    expect(cuc.page.locator(".form-errors")).to_contain_text("vượt 50.000.000 đồng")
    camera.shoot(cuc.page, "plan-refused")
    assert not plan.lines.exists()
    NationalPlan.objects.filter(pk=plan.pk).update(total=500_000_000)  # the Cục corrects its draft total
    cuc.open(reverse("projects:national_plan", args=[plan.pk]), "plan-draft")
    cuc.page.get_by_label("Đề án (Cục đang thẩm định)").select_option(str(project.pk))
    cuc.page.locator("#id_content").select_option(index=1)
    cuc.page.get_by_label("Kinh phí khuyến công quốc gia (đồng)").fill("150.000.000")
    cuc.page.get_by_role("button", name="Ghi vào kế hoạch").click()
    expect(cuc.page.locator(".msg-success")).to_be_visible()

    # The leadership records the Minister's decision from its desk.
    boss = Person(browser, live_server, camera, "lanhdao.cuc")
    boss.open(reverse("projects:national_desk"), "desk-leader")
    expect(boss.page.locator("#tasks-title + ul")).to_contain_text(plan.name)
    boss.page.get_by_role("link", name=plan.name).first.click()
    boss.page.get_by_label("Số quyết định của Bộ trưởng").fill("1520/QĐ-BCT")
    boss.page.get_by_label("Ngày quyết định").fill(today.strftime("%d/%m/%Y"))
    boss.page.get_by_label("Ngày quyết định").press("Tab")
    boss.page.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(boss.page.locator(".msg-success")).to_be_visible()
    camera.shoot(boss.page, "plan-approved")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED

    # Contract with the Cục, monthly progress, an advance and its payment.
    cuc.open(detail, "to-contract")
    cuc.take_step(
        "contract",
        "Ký hợp đồng/giao nhiệm vụ",
        {
            "#id_contract-contract_number": "36/HĐ-CĐMST",
            "#id_contract-contract_date": today.strftime("%d/%m/%Y"),
        },
    )
    centre.open(detail, "centre-contracted")
    centre.take_step("start", "Bắt đầu thực hiện")
    centre.take_step(
        "report_progress",
        "Báo cáo tiến độ tháng",
        {
            "#id_report_progress-month": today.strftime("%m/%Y"),
            "#id_report_progress-percent_complete": "40",
            "#id_report_progress-summary": "Khai giảng 2 lớp, 100 học viên.",
        },
    )
    centre.take_step(
        "request_advance",
        "Đề nghị tạm ứng",
        {"#id_request_advance-source": str(kcqg.pk), "#id_request_advance-amount": "45.000.000"},
    )
    boss.open(detail, "advance-to-decide")
    form = boss.page.locator("form.inline-form")
    form.locator("#id_decide_advance-decision").select_option("approve")  # its decision date is today
    form.get_by_role("button", name="Xác nhận").click()
    expect(boss.page.locator(".msg-success")).to_be_visible()
    cuc.open(detail, "to-pay")
    cuc.take_step(
        "record_disbursement",
        "Ghi nhận giải ngân",
        {
            "#id_record_disbursement-source": str(kcqg.pk),
            "#id_record_disbursement-amount": "45.000.000",
            "#id_record_disbursement-paid_on": today.strftime("%d/%m/%Y"),
        },
    )

    # Outputs, the Sở's acceptance, the Cục's closure and the leadership's settlement.
    centre.open(detail, "centre-outputs")
    centre.take_step(
        "record_outputs", "Ghi nhận kết quả đầu ra", {f"#id_record_outputs-achieved_{trainees.pk}": "100"}
    )
    centre.close()
    officer.open(detail, "so-acceptance")
    officer.take_step(
        "accept",
        "Nghiệm thu",
        {"#id_accept-minutes_number": "11/BB-NT", "#id_accept-minutes_date": today.strftime("%d/%m/%Y")},
    )
    officer.close()
    cuc.open(detail, "to-close")
    cuc.take_step(
        "close",
        "Thanh lý hợp đồng",
        {"#id_close-closure_number": "4/BB-TL", "#id_close-closure_date": today.strftime("%d/%m/%Y")},
    )
    cuc.close()
    boss.open(detail, "to-settle")
    boss.take_step(
        "settle",
        "Phê duyệt quyết toán",
        {
            "#id_settle-decision_number": "12/QĐ-CĐMST",
            "#id_settle-decision_date": (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            f"#id_settle-amount_{kcqg.pk}": "150.000.000",
        },
    )
    assert boss.status() == "Đã quyết toán"

    # The Ministry's desk, at desktop and phone width.
    boss.page.goto(f"{live_server.url}{reverse('projects:national_desk')}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    boss.page.screenshot(path=str(SCREENSHOTS / "ministry-desk-1280.png"), full_page=True)
    boss.page.set_viewport_size(PHONE)
    boss.page.screenshot(path=str(SCREENSHOTS / "ministry-desk-360.png"), full_page=True)
    expect(boss.page.locator("#plans-title")).to_be_visible()
    width = boss.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the desk scrolls sideways on a phone"
    boss.close()
    project.refresh_from_db()
    assert project.status == ProjectStatus.SETTLED
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions == [
        "submit", "start_appraisal", "forward", "cuc_receive", "national_approve",
        "contract", "start", "accept", "close", "settle",
    ]  # fmt: skip
    assert "Chờ kết quả khảo sát" in project.transitions.get(action="submit").acknowledged_warnings
