"""Headers, templates without inline scripts, production checks, login lock-out, password rules, sessions,
the database-outage page and uploads kept out of the web root."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse

from accounts.roles import Role

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def officer(world):
    return world.own.users[Role.OFFICER]


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, officer):
    client.force_login(officer)
    response = client.get(reverse("projects:list"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        yield from (p for p in folder.rglob("*.html") if "pdf" not in p.parts)


def test_no_template_served_to_browsers_has_an_inline_script_or_event_handler():
    """PDF templates are rendered by WeasyPrint on the server and are left out."""
    found = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in match.group(0):
                found.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text, flags=re.I) or "javascript:" in text.lower():
            found.append(f"{template.relative_to(ROOT)}: event handler attribute or javascript: URL")
        if re.search(r"<style\b", text, flags=re.I):
            found.append(f"{template.relative_to(ROOT)}: inline <style> block")
        if re.search(r"\sstyle\s*=", text, flags=re.I):
            found.append(f"{template.relative_to(ROOT)}: style attribute")
    assert not found, "\n".join(found)


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-" + "x9Y8z7W6v5U4t3S2r1Q0p" * 2,
        "DJANGO_ALLOWED_HOSTS": "khuyencong.example.gov.vn",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "khuyencong.settings.prod", "DJANGO_ALLOWED_HOSTS": "x"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # pick up the setting
    yield
    AxesProxyHandler.implementation = None


def _login(client, username, password, ip="10.1.2.3"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_user_name_from_that_address(client, officer, axes_on):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, officer.username, "sai-mat-khau").status_code == 200
    locked = _login(client, officer.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, officer.username, "MatKhau@12345").status_code == 429
    # Another address is not locked out of the same account.
    assert _login(client, officer.username, "MatKhau@12345", ip="10.9.9.9").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, officer, axes_on):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, officer.username, "sai-mat-khau")
    assert _login(client, officer.username, "MatKhau@12345").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, officer.username, "sai-mat-khau").status_code == 200


def test_behind_nginx_the_lock_out_follows_the_real_client_address(client, officer, axes_on, settings):
    settings.BEHIND_PROXY = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": officer.username, "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.7",
        )
    other_client = client.post(
        reverse("accounts:login"),
        {"username": officer.username, "password": "MatKhau@12345"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="203.0.113.8",
    )
    assert other_client.status_code == 302


@pytest.mark.parametrize(
    "password",
    ["ngan@A1", "khuyencong2025", "12345678901234", "matkhaumatkhau", "MATKHAUMATKHAU"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_password_mixing_kinds_of_characters_is_accepted():
    validate_password("Lua-Vang-Dong-Thap-2026")


def test_sessions_end_with_the_working_day_or_the_browser(client, officer):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = _login(client, officer.username, "MatKhau@12345")
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # a browser-session cookie


def test_a_database_outage_in_a_view_shows_the_vietnamese_503_page(client, officer, monkeypatch):
    client.force_login(officer)
    client.raise_request_exception = False

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("accounts.home.render", down)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Dịch vụ tạm thời gián đoạn" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"]


def test_a_database_outage_outside_the_view_also_answers_503(client, officer, monkeypatch):
    """The session is read by middleware, before any view: handler500 turns that failure into 503."""
    client.force_login(officer)
    client.raise_request_exception = False

    def down(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", down)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 503
    assert "Dịch vụ tạm thời gián đoạn" in response.content.decode()


def test_other_errors_show_the_plain_500_page_without_details(client, officer, monkeypatch):
    client.force_login(officer)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise ZeroDivisionError("secret detail")

    monkeypatch.setattr("accounts.home.render", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()
    assert "secret detail" not in response.content.decode()


def test_uploads_live_outside_the_web_root_and_have_no_public_url(client, world):
    media = Path(settings.MEDIA_ROOT).resolve()
    for public in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(public.resolve())
    assert settings.MEDIA_URL in (None, "", "/")
    document = world.own.document
    # No URL maps the stored file: only the permission-checked download view serves it.
    assert client.get("/media/" + document.file.name).status_code == 404
    assert client.get("/static/../media/" + document.file.name).status_code == 404


def test_document_downloads_are_never_sniffed_cached_or_rendered_as_a_page(client, world):
    client.force_login(world.own.users[Role.APPRAISER])
    response = client.get(reverse("projects:document", args=[world.own.document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"


def test_htmx_is_told_not_to_inject_a_style_block_the_policy_would_refuse(client, officer):
    client.force_login(officer)
    page = client.get(reverse("projects:list")).content.decode()
    assert '"includeIndicatorStyles": false' in page


def test_a_form_without_its_csrf_token_is_refused_with_a_vietnamese_page(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("beneficiaries:create"), {"name": "Cơ sở thử"})
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()
