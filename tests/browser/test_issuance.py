"""A leader issues the year's report from the report page with a double click and gets one number (issued by
the background worker, followed on the page); a visitor in an English-language browser checks the
downloaded file on the public verification page."""

import pytest
from playwright.sync_api import expect

from issuance.models import IssuedReport

from .conftest import DESKTOP
from .test_journey import Person, portal  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_a_leader_issues_once_with_a_double_click_and_a_visitor_verifies_the_file(
    browser,
    live_server,
    camera,
    portal,  # noqa: F811
    tmp_path,
):
    leader = Person(browser, live_server, camera, "lanhdao.cantho")
    page = leader.page
    leader.open(f"/bao-cao/?year={portal['year']}", "reports")
    page.get_by_role("link", name=f"Ban hành, bản đã ban hành — năm {portal['year']}").click()
    expect(page.get_by_role("heading", name="Ban hành", exact=True)).to_be_visible()
    camera.shoot(page, "report-page")
    page.get_by_label("Họ tên người ký").fill("Phạm Thị Dung")
    page.get_by_role("button", name="Ban hành báo cáo").dblclick()
    # Issuing runs in the background: the report page shows the job, then a link to the issued report.
    expect(page.get_by_role("heading", name="Đang ban hành")).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Xem kết quả").click(timeout=60_000)
    expect(page.get_by_role("heading", name="Báo cáo số 01/BC-SCT")).to_be_visible(timeout=60_000)
    camera.shoot(page, "issued")
    issued = IssuedReport.objects.get()
    assert issued.number_text == "01/BC-SCT" and issued.signer_name == "Phạm Thị Dung"
    leader.open("/ban-hanh/", "register")
    expect(page.locator("tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.goto(f"{live_server.url}/ban-hanh/{issued.pk}/")
        page.get_by_role("link", name="PDF", exact=True).click()
    saved = tmp_path / "bao-cao.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == bytes(issued.pdf)
    leader.close()

    visitor = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    visitor.goto(f"{live_server.url}/xac-minh/")
    visitor.get_by_label("Mã xác minh").fill(issued.pretty_code.lower())
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.get_by_text(issued.sha256)).to_be_visible()
    visitor.set_input_files("input[name=pdf]", str(saved))
    visitor.get_by_role("button", name="Kiểm tra").click()
    expect(visitor.get_by_role("status")).to_contain_text("Đúng là bản đã ban hành")
    camera.shoot(visitor, "verified")
