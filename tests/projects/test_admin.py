"""Admin: the move actions go through the same services and rules; the audit trail cannot be edited."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from projects.models import ProjectStatus, ProjectTransition

from .conftest import project_in, ready_project

pytestmark = pytest.mark.django_db


def run_action(client, action, projects, **data):
    return client.post(
        reverse("admin:projects_project_changelist"),
        {
            "action": action,
            "_selected_action": [p.pk for p in projects],
            "index": 0,
            **data,
        },
        follow=True,
    )


def test_bulk_approval_of_selected_projects_uses_the_money_checks(world, client):
    plan = world.own.plan  # 1.000.000.000 đồng
    fits = ready_project(plan, amount=700_000_000, status=ProjectStatus.APPRAISING, code="a-vua")
    too_much = ready_project(plan, amount=400_000_000, status=ProjectStatus.APPRAISING, code="b-vuot")
    client.force_login(world.admin)
    response = run_action(
        client, "move_approve", [fits, too_much], decision_number="88/QĐ-SCT", decision_date="01/06/2025"
    )
    fits.refresh_from_db()
    too_much.refresh_from_db()
    assert (fits.status, too_much.status) == (ProjectStatus.APPROVED, ProjectStatus.APPRAISING)
    texts = [str(m) for m in response.context["messages"]]
    assert any("b-vuot" in t and "chỉ còn" in t for t in texts)
    assert ProjectTransition.objects.get(project=fits).decision_number == "88/QĐ-SCT"


def test_an_action_refused_by_the_rules_changes_nothing(world, client):
    draft = project_in(world.own.plan, ProjectStatus.DRAFT)
    client.force_login(world.admin)
    response = run_action(client, "move_approve", [draft], decision_number="1", decision_date="01/06/2025")
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT
    assert any("Không thể chuyển" in str(m) for m in response.context["messages"])


def test_project_page_shows_history_and_audit_rows_cannot_be_changed(world, client):
    project = project_in(world.own.plan, ProjectStatus.SUBMITTED)
    from projects.services import project_start_appraisal

    transition = project_start_appraisal(actor=world.user(Role.OFFICER), project=project)
    client.force_login(world.admin)
    page = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lịch sử xử lý (không sửa được)" in html and "Đưa ra thẩm định" in html
    change = client.post(
        reverse("admin:projects_projecttransition_change", args=[transition.pk]), {"comment": "sửa"}
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:projects_projecttransition_delete", args=[transition.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ProjectTransition.objects.get(pk=transition.pk).comment == ""
