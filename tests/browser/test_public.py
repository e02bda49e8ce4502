"""The public pages in a real browser, as a citizen on a phone (360 px) and on a desktop (1280 px), in
Vietnamese and in English: no horizontal scrolling on the phone, nothing personal on screen."""

import pytest
from playwright.sync_api import expect

from tests.public.conftest import ENTERPRISE_NAME, PERSONAL, build_published

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def published_live(transactional_db):
    return build_published()


def _fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_public_pages_on_a_phone_and_a_desktop(page, live_server, published_live, camera):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/cong-khai/?nam=2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    assert _fits_phone(page)
    page.get_by_role("link", name="Tỉnh Công Khai").click()
    expect(page.get_by_text(ENTERPRISE_NAME).first).to_be_visible()
    assert _fits_phone(page)
    body = page.content()
    for value in (PERSONAL["household_name"], PERSONAL["household_phone"], PERSONAL["household_address"]):
        assert value not in body
    page.set_viewport_size(DESKTOP)
    camera.shoot(page, "tinh-nam")
    page.goto(f"{base}/cong-khai/?nam=2025")
    camera.shoot(page, "toan-quoc")
    page.goto(f"{base}/cong-khai/chuong-trinh/{published_live.programme.code}/")
    expect(page.locator("progress")).to_have_count(1)
    camera.shoot(page, "chuong-trinh")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("link", name="Tiếng Việt")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    camera.shoot(page, "programme-en")
    page.goto(f"{base}/cong-khai/du-lieu-mo/")
    expect(page.get_by_role("link", name="Creative Commons", exact=False)).to_be_visible()
    camera.shoot(page, "du-lieu-mo")


def test_api_docs_render_from_the_portals_own_files(page, live_server, camera):
    """Swagger UI comes from the portal (no CDN) and renders the schema under the portal's CSP."""
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("Cổng quản lý khuyến công — API").first).to_be_visible(timeout=15000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 14
    camera.shoot(page, "api-docs")
    assert outside == []
