"""What a newcomer sees under `make run`: the portal's own error pages, a favicon, quiet PDF builds."""

import importlib
import logging

from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from khuyencong.middleware import PortalErrorPagesMiddleware


def test_under_debug_a_404_and_a_500_are_the_portals_own_pages():
    request = RequestFactory().get("/khong-co/")
    technical_404 = PortalErrorPagesMiddleware(lambda r: HttpResponseNotFound("<h1>Page not found</h1>"))
    response = technical_404(request)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "Page not found" not in response.content.decode()
    technical_500 = PortalErrorPagesMiddleware(lambda r: HttpResponse("Traceback", status=500))
    response = technical_500(request)
    assert response.status_code == 500 and "Traceback" not in response.content.decode()
    json_404 = PortalErrorPagesMiddleware(
        lambda r: HttpResponseNotFound("{}", content_type="application/json")
    )
    assert json_404(request).content == b"{}"


def test_the_development_settings_put_the_error_pages_first(monkeypatch):
    monkeypatch.delenv("DJANGO_TECHNICAL_ERRORS", raising=False)
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    dev = importlib.reload(importlib.import_module("khuyencong.settings.dev"))
    assert dev.DEBUG and dev.MIDDLEWARE[0] == "khuyencong.middleware.PortalErrorPagesMiddleware"


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")


def test_weasyprint_progress_lines_are_not_logged():
    assert not logging.getLogger("weasyprint.progress").isEnabledFor(logging.INFO)
