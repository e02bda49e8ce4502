"""An officer's day without traps, in an English-language Chromium (--lang=en-US, locale en-US): names
family-name first, landing on "Việc của tôi", dates typed and picked as dd/mm/yyyy and tháng mm/yyyy, the
progress month kept within the đề án's period, dangerous steps set apart and confirmed, a back-dated
advance decision, the reports page on the year it lists, bulk steps with their summary, notes, the phone."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import FundingSource
from projects.models import Advance, ProgressReport, Project, ProjectNote, ProjectStatus
from projects.services import project_start_appraisal
from projects.services.tracking import appraisal_submit
from reports.money_moves import by_source
from reports.periods import Period
from tests.projects.conftest import ready_project

from .conftest import DESKTOP, PHONE, serious_accessibility_violations
from .test_journey import PASSWORD, portal  # noqa: F401 - the journey's two provinces and their people

pytestmark = pytest.mark.browser


class EnglishBrowserUser:
    """One person in their own context of an English-language browser."""

    def __init__(self, browser, live_server, camera, username):
        self.base, self.camera = live_server.url, camera
        self.context = browser.new_context(viewport=DESKTOP, locale="en-US")
        self.page = self.context.new_page()
        self.page.goto(f"{self.base}/accounts/dang-nhap/")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Đăng nhập").click()

    def open(self, path, shot=None):
        self.page.goto(self.base + path)
        if shot:
            self.shoot(shot)

    def shoot(self, name):
        self.camera.shoot(self.page, name)
        assert serious_accessibility_violations(self.page) == []

    def type_date(self, selector, text):
        """Type a date as a person does and leave the field with Tab (the calendar closes)."""
        field = self.page.locator(selector)
        field.fill(text)
        field.press("Tab")

    def close(self):
        self.context.close()


def test_an_officers_day_in_an_english_browser(browser, live_server, camera, portal):  # noqa: F811
    year = timezone.localdate().year
    plan = portal["plan"]

    # 1, 7. The officer lands on "Việc của tôi" with counts; the name is written family name first.
    officer = EnglishBrowserUser(browser, live_server, camera, "canbo.cantho")
    page = officer.page
    assert page.url.endswith(reverse("reports:dashboard"))
    expect(page.locator("#tasks-title")).to_contain_text("Việc của tôi")
    expect(page.locator(".topbar .who")).to_have_text("Nguyễn Văn An")
    officer.shoot("landing-my-tasks")

    # 4. Dates typed and picked as dd/mm/yyyy whatever the browser's language.
    officer.open(reverse("projects:create"))
    page.get_by_label("Tên đề án").fill("Tập huấn kỹ năng quản trị cho cơ sở công nghiệp nông thôn")
    page.get_by_label("Kế hoạch năm").select_option(label=f"{year} — {plan.name}")
    assert page.locator("#id_start_date").get_attribute("type") == "text"
    officer.type_date("#id_start_date", f"15/01/{year}")
    expect(page.locator("#id_start_date")).to_have_value(f"15/01/{year}")
    page.locator("#id_end_date").click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar).to_contain_text("Tháng")  # Vietnamese month names on an English browser
    expect(calendar).not_to_contain_text("December")
    officer.shoot("entry-date-picker")
    page.locator("#id_end_date").fill(f"31/12/{year}")
    page.locator("#id_end_date").press("Enter")
    page.locator("#id_end_date").press("Tab")
    expect(page.locator("#id_end_date")).to_have_value(f"31/12/{year}")
    page.locator("#id_contents_0").check()
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator("#project-status")).to_have_text("Dự thảo")
    entered = Project.objects.get(title__startswith="Tập huấn kỹ năng quản trị")
    assert (entered.start_date, entered.end_date) == (datetime.date(year, 1, 15), datetime.date(year, 12, 31))

    # 10. Several drafts registered at once: the complete ones move, the incomplete one is explained.
    ready = ready_project(
        plan,
        title="Hỗ trợ máy sấy nông sản Cờ Đỏ",
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )
    officer.open(reverse("projects:list"))
    for project in (entered, ready):
        page.locator(f"#pick-{project.pk}").check()
    page.get_by_label("Bước xử lý").select_option("submit")
    officer.shoot("bulk-chosen")
    page.get_by_role("button", name="Thực hiện cho các đề án đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện 1, không thực hiện được 1.")
    expect(page.locator(".bulk-refused")).to_contain_text(entered.title)
    expect(page.locator(".bulk-done")).to_contain_text(ready.title)
    officer.shoot("bulk-result")
    ready.refresh_from_db()
    assert ready.status == ProjectStatus.SUBMITTED
    project_start_appraisal(actor=portal["users"]["officer"], project=ready)
    # The appraisal rule (one sheet at least, the national default) is met before the leader decides.
    appraisal_submit(
        actor=portal["users"]["appraiser"],
        project=ready,
        recommendation="approve",
        **dict.fromkeys(
            ("score_fit", "score_necessity", "score_efficiency", "score_budget", "score_capacity"), 15
        ),
    )

    # 10. An internal note, seen by the staff of the province.
    officer.open(reverse("projects:detail", args=[ready.pk]))
    page.get_by_label("Ghi chú nội bộ (chỉ cán bộ trong tỉnh thấy)").fill("Đã hẹn khảo sát cơ sở ngày 20.")
    page.get_by_role("button", name="Lưu ghi chú").click()
    expect(page.locator("#notes")).to_contain_text("Đã hẹn khảo sát cơ sở ngày 20.")
    expect(page.locator("#notes")).to_contain_text("Nguyễn Văn An")
    officer.close()

    # 5. The leader: approval first, "Không phê duyệt" set apart in red and confirmed with its consequence.
    leader = EnglishBrowserUser(browser, live_server, camera, "lanhdao.cantho")
    page = leader.page
    leader.open(reverse("projects:detail", args=[ready.pk]))
    summaries = page.locator("#steps details.step > summary")
    expect(summaries.first).to_have_text("Phê duyệt")
    expect(summaries.first).to_have_class(re.compile("btn-primary"))
    reject = page.locator("#step-reject")
    expect(reject.locator("summary")).to_have_class(re.compile("btn-danger"))
    reject.locator("summary").click()
    expect(reject.locator(".consequence")).to_contain_text("không thể xử lý tiếp")
    page.locator("#id_reject-comment").fill("Chưa phù hợp")
    leader.shoot("reject-set-apart")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    reject.get_by_role("button", name="Xác nhận: Không phê duyệt").click()
    assert dialogs and "không thể xử lý tiếp" in dialogs[0]
    expect(page.locator("#project-status")).to_have_text("Đang thẩm định")  # dismissed: nothing changed
    page.locator("#step-approve > summary").click()
    page.locator("#id_approve-decision_number").fill("45/QĐ-SCT")
    expect(page.locator("#id_approve-decision_date")).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    leader.type_date("#id_approve-decision_date", f"02/01/{year}")
    page.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    expect(page.locator("#project-status")).to_have_text("Đã phê duyệt")
    expect(page.locator("#timeline")).to_contain_text("Phạm Thị Dung")
    expect(page.locator("#timeline")).to_contain_text(f"02/01/{year}")
    leader.shoot("approved-timeline")

    # 2, 7. The centre: the progress month starts at the earliest month due; a month after the period is
    # refused in Vietnamese; the advance form shows its limit before anything is sent.
    centre = EnglishBrowserUser(browser, live_server, camera, "trungtam.cantho")
    page = centre.page
    centre.open(reverse("projects:detail", args=[ready.pk]))
    page.locator("#step-contract > summary").click()
    page.locator("#id_contract-contract_number").fill("09/HĐ-TTKC")
    centre.type_date("#id_contract-contract_date", f"05/01/{year}")
    page.get_by_role("button", name="Xác nhận: Ký hợp đồng/giao nhiệm vụ").click()
    page.locator("#step-start > summary").click()
    page.get_by_role("button", name="Xác nhận: Bắt đầu thực hiện").click()
    expect(page.locator("#project-status")).to_have_text("Đang thực hiện")
    page.locator("#step-report_progress > summary").click()
    month = page.locator("#id_report_progress-month")
    expect(month).to_have_value(f"01/{year}")
    month.click()
    expect(page.locator(".flatpickr-calendar.open")).to_contain_text("Tháng một")
    centre.shoot("progress-month-picker")
    month.fill(f"tháng 01/{year + 1}")
    month.press("Escape")
    page.locator("#id_report_progress-percent_complete").fill("40")
    page.locator("#id_report_progress-summary").fill("Đã mở lớp tập huấn đầu tiên.")
    page.get_by_role("button", name="Xác nhận: Báo cáo tiến độ tháng").click()
    expect(page.locator("#step-report_progress .form-errors")).to_contain_text(
        "nằm ngoài thời gian thực hiện đề án"
    )
    assert not ProgressReport.objects.filter(project=ready).exists()
    month = page.locator("#id_report_progress-month")
    month.fill(f"01/{year}")
    month.press("Escape")
    page.get_by_role("button", name="Xác nhận: Báo cáo tiến độ tháng").click()
    expect(page.locator(".msg-success")).to_be_visible()
    assert ProgressReport.objects.get(project=ready).month == datetime.date(year, 1, 1)
    page.locator("#step-request_advance > summary").click()
    expect(page.locator("#step-request_advance")).to_contain_text(
        "tối đa 30% của 100.000.000 đồng = 30.000.000 đồng"
    )
    centre.shoot("advance-limit")
    page.locator("#id_request_advance-source").select_option(str(FundingSource.objects.get(code="kcdp").pk))
    page.locator("#id_request_advance-amount").fill("30.000.000")
    page.get_by_role("button", name="Xác nhận: Đề nghị tạm ứng").click()
    expect(page.locator(".msg-success")).to_be_visible()

    # 8. On a phone the menu folds and the money table keeps "Còn lại" on screen.
    page.set_viewport_size(PHONE)
    nav = page.locator("#mainnav")
    expect(page.locator(".nav-toggle")).to_be_visible()
    expect(nav).to_be_hidden()
    page.locator(".nav-toggle").click()
    expect(nav).to_be_visible()
    expect(page.locator(".nav-toggle")).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(camera_path(camera, "phone-menu-open")), full_page=False)
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    box = page.locator("#money-remaining").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    centre.close()

    # 6, 10. The leader decides the advance from the list of advances, with the date of the paper decision;
    # reports count it in that quarter.
    page = leader.page
    leader.open(reverse("reports:dashboard"))
    page.get_by_role("link", name=re.compile("đề nghị tạm ứng chờ duyệt")).click()
    advance = Advance.objects.get(project=ready)
    page.locator(f'input[name="advances"][value="{advance.pk}"]').check()
    leader.type_date("#id_decision_date", f"10/02/{year}")
    leader.shoot("advances-to-decide")
    page.get_by_role("button", name="Duyệt các đề nghị đã chọn", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện 1, không thực hiện được 0.")
    advance.refresh_from_db()
    assert advance.decision_date == datetime.date(year, 2, 10)
    scope = Project.objects.filter(pk=ready.pk)
    assert sum(by_source(scope, Period(year, quarter=1)).advanced.values()) == 30_000_000

    # 3. The reports page names the year it lists and "Xem" stays on it.
    leader.open(reverse("reports:index"))
    chosen = page.locator("#id_year").input_value()
    expect(page.locator("#annual-title")).to_contain_text(f"năm {chosen}")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#annual-title")).to_contain_text(f"năm {chosen}")
    leader.shoot("reports-year")
    leader.close()
    assert ProjectNote.objects.filter(project=ready).count() == 1


def camera_path(camera, name):
    from .conftest import SCREENSHOTS

    camera.count += 1
    return SCREENSHOTS / f"{camera.prefix}-{camera.count:02d}-{name}-phone.png"
