"""Declining an adjustment: the approved estimate kept on the request's audit row is put back, line by
line and audited; refused (changing nothing) when money already paid needs the adjusted estimate."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from projects.models import BudgetLine, Disbursement, ProjectStatus, ProjectTransition, WorkflowStepRole
from projects.services import project_decline_adjustment, project_request_adjustment
from projects.workflow import DEFAULT_STEP_ROLES
from tests.factories import content, source
from tests.projects.conftest import project_in

S = ProjectStatus


def _lines(project) -> list[tuple]:
    return list(
        BudgetLine.objects.filter(project=project)
        .order_by("order", "pk")
        .values_list("source__code", "content__number", "expense_item", "amount", "order")
    )


def _adjusting(world):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    BudgetLine.objects.create(
        project=project,
        source=source("kcdp"),
        content=content(1),
        expense_item="Tài liệu",
        amount=5_000_000,
        order=2,
    )
    approved = _lines(project)
    request = project_request_adjustment(
        actor=world.user(Role.CENTRE), project=project, comment="Tăng kinh phí máy móc"
    )
    assert [line["amount"] for line in request.budget_before] == [a for *_x, a, _o in approved]
    # The estimate as edited during the adjustment: one line raised, one removed, one added.
    first, second = BudgetLine.objects.filter(project=project).order_by("order", "pk")
    first.amount += 50_000_000
    first.save()
    second.delete()
    BudgetLine.objects.create(
        project=project, source=source("kcdp"), content=content(1), expense_item="Máy mới", amount=70_000_000
    )
    project.refresh_from_db()
    assert project.status == S.ADJUSTING
    return project, approved


def test_declining_puts_the_approved_estimate_back_and_audits_each_line(world):
    project, approved = _adjusting(world)
    assert _lines(project) != approved
    leader = world.user(Role.LEADER)

    transition = project_decline_adjustment(actor=leader, project=project, comment="Giữ nguyên dự toán")

    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS
    assert _lines(project) == approved
    assert (transition.action, transition.from_status, transition.to_status, transition.actor) == (
        "decline_adjustment",
        S.ADJUSTING,
        S.IN_PROGRESS,
        leader,
    )
    restored_ids = [str(pk) for pk in BudgetLine.objects.filter(project=project).values_list("pk", flat=True)]
    created = LogEntry.objects.filter(
        content_type__model="budgetline", action=LogEntry.Action.CREATE, object_pk__in=restored_ids
    )
    assert created.count() == len(approved)
    assert (
        LogEntry.objects.filter(content_type__model="budgetline", action=LogEntry.Action.DELETE).count() >= 2
    )


def test_declining_is_refused_and_changes_nothing_when_payments_need_the_adjusted_estimate(world):
    project, _approved = _adjusting(world)
    Disbursement.objects.create(
        project=project,
        source=source("kcdp"),
        amount=140_000_000,  # more than the approved 105 million, within the adjusted 220 million
        paid_on=datetime.date(2025, 7, 1),
        recorded_by=world.user(Role.CENTRE),
    )
    edited = _lines(project)
    moves = ProjectTransition.objects.filter(project=project).count()
    with pytest.raises(ValidationError, match="đã giải ngân nhiều hơn dự toán đã phê duyệt"):
        project_decline_adjustment(actor=world.user(Role.LEADER), project=project, comment="Không đồng ý")
    project.refresh_from_db()
    assert project.status == S.ADJUSTING
    assert _lines(project) == edited
    assert ProjectTransition.objects.filter(project=project).count() == moves


def test_declining_needs_a_reason_and_the_leader(world):
    project, _approved = _adjusting(world)
    with pytest.raises(ValidationError, match="lý do không chấp thuận điều chỉnh"):
        project_decline_adjustment(actor=world.user(Role.LEADER), project=project, comment="  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        project_decline_adjustment(actor=world.user(Role.CENTRE), project=project, comment="Tự từ chối")
    project.refresh_from_db()
    assert project.status == S.ADJUSTING


def test_the_leader_declines_from_the_project_page(client, world):
    project, approved = _adjusting(world)
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    url = reverse("projects:step", args=[project.pk, "decline_adjustment"])
    assert url in page
    response = client.post(url, {"decline_adjustment-comment": "Giữ nguyên dự toán đã duyệt"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS and _lines(project) == approved


def test_the_national_step_roles_in_the_database_are_the_code_default(db):
    rows: dict[str, set[str]] = {}
    for action, role in WorkflowStepRole.objects.filter(province=None, kind="kcdp").values_list(
        "action", "role"
    ):
        rows.setdefault(action, set()).add(role)
    assert {a: frozenset(r) for a, r in rows.items()} == DEFAULT_STEP_ROLES
