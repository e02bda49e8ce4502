import pytest
from django.conf import settings


@pytest.mark.django_db
def test_portal_is_vietnamese_even_for_an_english_browser(client):
    response = client.get("/accounts/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_cookie_selects_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/dang-nhap/")
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_set_language_view_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/dang-nhap/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_healthz_answers_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
