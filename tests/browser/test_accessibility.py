"""axe-core over every page staff reach, for each role, on the demo portal (every stage of the lifecycle):
no serious or critical violation. Pages are found by following the portal's own links from where each
person lands, so a new page is checked as soon as something links to it."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from .conftest import DESKTOP, serious_accessibility_violations

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "KhuyenCong@2025"
ROLES = ("canbo.cantho", "trungtam.cantho", "thamdinh.cantho", "lanhdao.cantho", "bo.congthuong")
# Links that are not pages to check: files, exports, logging out, the Django admin (its own markup).
SKIP = re.compile(r"\.(pdf|xlsx|csv)$|[?&]export=|/dang-xuat/|/admin/|/i18n/|/tai-lieu/|#")
# Pages of one shape (a đề án, a cơ sở…) checked for a few instances each, not all of them.
PER_SHAPE = 2
MAX_PAGES = 35


@pytest.fixture
def demo_portal(transactional_db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("bootstrap", verbosity=0)


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(page, base: str, start: str) -> list[str]:
    """Pages reached from `start` by the links on them (same site, GET), a few of each shape."""
    seen_shapes: dict[str, int] = {}
    queue, visited = [start], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        key = shape(urlparse(path).path)
        if path in visited or seen_shapes.get(key, 0) >= PER_SHAPE:
            continue
        response = page.goto(base + path)
        if (
            response is None
            or response.status >= 400
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        visited.append(path)
        seen_shapes[key] = seen_shapes.get(key, 0) + 1
        yield path
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urlparse(urljoin(base + path, href))
            target = url.path + (f"?{url.query}" if url.query else "")
            if url.netloc == urlparse(base).netloc and not SKIP.search(href) and target not in visited:
                queue.append(target)


def test_every_staff_page_has_no_serious_accessibility_violation(browser, live_server, demo_portal):
    problems: dict[str, list[str]] = {}
    checked = 0
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    # Pages anyone may open: the login page and the portal's own 404.
    for path in ("/accounts/dang-nhap/", "/khong-co-trang-nay/"):
        page.goto(live_server.url + path)
        violations = serious_accessibility_violations(page)
        if violations:
            problems[path] = violations
        checked += 1
    for username in ROLES:
        page.goto(live_server.url + "/accounts/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        start = urlparse(page.url).path
        for path in crawl(page, live_server.url, start):
            violations = serious_accessibility_violations(page)
            # Open every step of a đề án too: its forms are part of the page.
            for summary in page.locator("details > summary").all():
                summary.click()
            violations += serious_accessibility_violations(page)
            if violations:
                problems[f"{username} {path}"] = sorted(set(violations))
            checked += 1
        page.context.clear_cookies()
    context.close()
    assert checked >= 30, f"only {checked} pages reached"
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(v) for where, v in problems.items())


def test_the_accessibility_check_does_find_violations(browser):
    """The check above can fail: an unlabelled field and an image without text are reported."""
    page = browser.new_page()
    page.set_content(
        '<html lang="vi"><head><title>t</title></head><body><main><h1>Thử</h1>'
        '<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    found = " ".join(serious_accessibility_violations(page))
    assert "label" in found and "image-alt" in found
    page.close()
