"""Role groups: everyone reads the lifecycle records; the Ministry viewer holds no write permission."""

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from accounts.services import ROLE_PERMISSIONS, roles_setup

pytestmark = pytest.mark.django_db


def test_every_named_permission_exists():
    existing = {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        assert set(codenames) <= existing, role


def test_roles_read_the_audit_trail_and_the_ministry_writes_nothing():
    groups = roles_setup()
    for role in (Role.OFFICER, Role.APPRAISER, Role.LEADER, Role.CENTRE, Role.MINISTRY):
        names = set(groups[role].permissions.values_list("codename", flat=True))
        assert {"view_projecttransition", "view_appraisal", "view_projectdocument"} <= names
    ministry = groups[Role.MINISTRY].permissions.values_list("codename", flat=True)
    assert all(name.startswith("view_") for name in ministry)
    assert "add_appraisal" in groups[Role.APPRAISER].permissions.values_list("codename", flat=True)
