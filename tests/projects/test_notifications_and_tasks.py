"""E-mail goes after commit to those whose turn it is; "my tasks" lists what waits on each user."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.roles import Role
from projects.models import ProjectStatus
from projects.selectors import available_moves, tasks_for
from projects.services import advance_request, appraisal_submit, project_approve, project_submit
from tests.factories import source

from .conftest import project_in

pytestmark = pytest.mark.django_db


def test_submission_mails_the_next_steps_people_of_the_province_after_commit(
    world, django_capture_on_commit_callbacks
):
    project = project_in(world.own.plan, ProjectStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_submit(actor=world.user(Role.OFFICER), project=project)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # Next: start appraisal (officer, who acted and is skipped) and return (leader).
    assert recipients == ["leader.own@example.vn"]
    assert project.code in mail.outbox[0].subject and "Đã đăng ký" in mail.outbox[0].subject


def test_approval_mails_the_centre_and_a_refused_move_mails_nobody(world, django_capture_on_commit_callbacks):
    project = project_in(world.own.plan, ProjectStatus.APPRAISING, amount=2_000_000_000)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        project_approve(
            actor=world.user(Role.LEADER),
            project=project,
            decision_number="1",
            decision_date=datetime.date(2025, 1, 2),
        )
    assert mail.outbox == []
    project.budget_lines.update(amount=100_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        project_approve(
            actor=world.user(Role.LEADER),
            project=project,
            decision_number="1",
            decision_date=datetime.date(2025, 1, 2),
        )
    assert [m.to for m in mail.outbox] == [["centre.own@example.vn"]]


def test_available_moves_are_the_buttons_for_this_user_now(world):
    project = project_in(world.own.plan, ProjectStatus.APPRAISING)
    leader_moves = {m.action for m in available_moves(world.user(Role.LEADER), project)}
    assert leader_moves == {"return", "reject", "approve", "upload_document"}
    assert {m.action for m in available_moves(world.user(Role.APPRAISER), project)} == {
        "appraise",
        "upload_document",
    }
    assert available_moves(world.ministry, project) == []
    assert available_moves(world.user(Role.LEADER, "other"), project) == []


def test_tasks_list_what_waits_on_me_in_my_province(world, advance_rules):
    submitted = project_in(world.own.plan, ProjectStatus.SUBMITTED)
    appraising = project_in(world.own.plan, ProjectStatus.APPRAISING)
    project_in(world.other.plan, ProjectStatus.SUBMITTED)
    running = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    advance = advance_request(
        actor=world.user(Role.CENTRE), project=running, source=source("kcdp"), amount=1_000
    )

    officer = tasks_for(world.user(Role.OFFICER))
    assert [p for p, _steps in officer.projects] == [submitted]

    appraiser = tasks_for(world.user(Role.APPRAISER))
    assert [p for p, _steps in appraiser.projects] == [appraising]
    scores = dict(score_fit=10, score_necessity=10, score_efficiency=10, score_budget=10, score_capacity=10)
    appraisal_submit(actor=world.user(Role.APPRAISER), project=appraising, recommendation="approve", **scores)
    assert tasks_for(world.user(Role.APPRAISER)).projects == []

    leader = tasks_for(world.user(Role.LEADER))
    assert {p for p, _steps in leader.projects} == {submitted, appraising}
    assert leader.advances_to_decide == [advance]

    centre = tasks_for(world.user(Role.CENTRE), today=datetime.date(2025, 5, 26))
    assert {(r.project, r.month) for r in centre.overdue_reports} == {
        (running, datetime.date(2025, 3, 1)),
        (running, datetime.date(2025, 4, 1)),
        (running, datetime.date(2025, 5, 1)),
    }
    assert tasks_for(world.ministry).count == 0


def test_tasks_cost_the_same_number_of_queries_for_one_or_many_projects(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        centre = type(world.user(Role.CENTRE)).objects.get(pk=world.user(Role.CENTRE).pk)
        with CaptureQueriesContext(connection) as queries:
            tasks_for(centre, today=datetime.date(2025, 8, 1))
        return len(queries)

    project_in(world.own.plan, ProjectStatus.IN_PROGRESS, start_date=None)
    one = count()
    for _ in range(4):
        project_in(world.own.plan, ProjectStatus.IN_PROGRESS, start_date=None)
        project_in(world.own.plan, ProjectStatus.CONTRACTED)
    assert count() == one <= 12
