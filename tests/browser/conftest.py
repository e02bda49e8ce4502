"""Playwright against Debian's Chromium, on pytest-django's live server.

Playwright cannot download its own browser here, so the session fixture points it at /usr/bin/chromium.
The tests drive the portal like a person and save a screenshot of each page at desktop and phone width
in artifacts/screenshots/ (git-ignored)."""

import os
import re
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; the ORM calls of the fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium của Debian chưa được cài (make system-deps).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            # Most office PCs run an English browser: dates and months must still read dd/mm/yyyy.
            "--lang=en-US",
        ],
    }


@pytest.fixture(scope="session")
def _live_server_media_url():
    """The live server wraps the site in a media-file handler that cannot take MEDIA_URL = None (documents
    are served only through the permission-checked view): give it a prefix no page ever links to."""
    from django.conf import settings

    original = settings.MEDIA_URL
    settings.MEDIA_URL = "/__tai-lieu-khong-phuc-vu-truc-tiep__/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture(scope="session")
def live_server(_live_server_media_url, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "vi-VN"}


class Camera:
    """Numbered screenshots of every page visited, at desktop and at phone width."""

    def __init__(self, test_name: str):
        name = re.sub(r"^test_|\[.*\]$", "", test_name)
        self.prefix = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(self, page, name: str) -> None:
        self.count += 1
        stem = f"{self.prefix}-{self.count:02d}-{name}"
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)


@pytest.fixture
def camera(request) -> Camera:
    return Camera(request.node.name)


def serious_accessibility_violations(page) -> list[str]:
    """axe-core (bundled with axe-playwright-python, no network) over the page as it is now: the rules
    broken with a serious or critical impact, each with the first elements at fault."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
