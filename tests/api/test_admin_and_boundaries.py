"""Keys are issued in the admin (shown once, kept as a hash); the domain apps import neither the API nor the
public pages."""

import ast
from pathlib import Path

import pytest
from django.contrib.messages import get_messages

from api.models import ApiToken, hash_key
from tests.factories import AgencyFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ["programs", "projects", "beneficiaries", "places", "accounts"]


@pytest.mark.django_db
def test_admin_issues_a_key_once_and_keeps_only_its_hash(client):
    admin = UserFactory(username="quantri-khoa", is_superuser=True, is_staff=True)
    client.force_login(admin)
    agency = AgencyFactory()
    response = client.post(
        "/admin/api/apitoken/add/", {"system_name": "LGSP thử", "agency": agency.pk, "access": "read_write"}
    )
    assert response.status_code == 302
    token = ApiToken.objects.get()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word for m in shown for word in m.split() if word.startswith("kc_"))
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.province == agency.province and token.user.first_name == "LGSP thử"


@pytest.mark.django_db
def test_admin_refuses_a_national_key_that_could_write(client):
    admin = UserFactory(username="quantri-khoa2", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post("/admin/api/apitoken/add/", {"system_name": "Hệ thống X", "access": "read_write"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "chỉ được đọc" in response.content.decode()


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_import_neither_the_api_nor_the_public_pages(app):
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"api", "public"}, f"{path.relative_to(ROOT)} imports {name}"
