"""The entry page's fragment of the plan's remaining money by source, as the officer types."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import source

from .conftest import project_in

pytestmark = pytest.mark.django_db

URL = reverse("projects:plan_remaining")


def _typed(plan, *lines):
    data = {"plan": plan.pk, "budget-TOTAL_FORMS": len(lines)}
    for n, (src, amount, deleted) in enumerate(lines):
        data.update({f"budget-{n}-source": src.pk, f"budget-{n}-amount": amount})
        if deleted:
            data[f"budget-{n}-DELETE"] = "on"
    return data


def test_remaining_money_follows_the_typed_lines_and_what_approved_projects_hold(client, world):
    plan = world.own.plan  # 1.000.000.000 đồng from kcdp
    project_in(plan, "approved", amount=300_000_000)
    client.force_login(world.user(Role.OFFICER))
    kcdp = source("kcdp")
    body = client.post(
        URL,
        _typed(plan, (kcdp, "500.000.000", False), (kcdp, "300000000", False), (kcdp, "900.000.000", True)),
    ).content.decode()
    assert "1.000.000.000" in body and "300.000.000" in body and "800.000.000" in body
    assert "-100.000.000" in body and "vượt kế hoạch" in body


def test_the_edited_project_does_not_count_against_itself(client, world):
    plan = world.own.plan
    project = project_in(plan, "approved", amount=300_000_000)
    client.force_login(world.user(Role.OFFICER))
    body = client.post(
        URL, {**_typed(plan, (source("kcdp"), "300.000.000", False)), "project_id": project.pk}
    )
    assert "700.000.000" in body.content.decode()


def test_another_provinces_plan_and_anonymous_get_nothing(client, world):
    client.force_login(world.user(Role.OFFICER, "other"))
    body = client.post(URL, _typed(world.own.plan, (source("kcdp"), "1", False))).content.decode()
    assert "Kinh phí còn lại" not in body and "1.000.000.000" not in body
    client.logout()
    assert client.post(URL, _typed(world.own.plan)).status_code == 302
