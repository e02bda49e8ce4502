"""Two leaders approve at the same moment two đề án that together exceed the plan's allocation: the lock
on the plan makes one wait for the other, so exactly one succeeds and the audit trail shows one move."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.roles import Role
from projects.models import ProjectStatus, ProjectTransition
from projects.services import project_approve

from .conftest import ready_project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (SQLite không khóa theo dòng)")


def test_two_simultaneous_approvals_over_the_allocation_one_wins_one_gets_a_clear_message(world):
    plan = world.own.plan  # 1.000.000.000 đồng of local funds
    first = ready_project(plan, amount=600_000_000, status=ProjectStatus.APPRAISING)
    second = ready_project(plan, amount=600_000_000, status=ProjectStatus.APPRAISING)
    leader = world.user(Role.LEADER)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve(project):
        try:
            start.wait(timeout=10)
            project_approve(
                actor=leader,
                project=project,
                decision_number=f"QĐ-{project.code}",
                decision_date=datetime.date(2025, 6, 1),
            )
            outcomes[project.code] = "ok"
        except ValidationError as error:
            outcomes[project.code] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(str(type(v).__name__) for v in outcomes.values()) == ["ValidationError", "str"]
    loser = next(v for v in outcomes.values() if isinstance(v, ValidationError))
    assert "chỉ còn 400.000.000 đồng" in " ".join(loser.messages)
    statuses = sorted(p.status for p in (first, second) if p.refresh_from_db() is None)
    assert statuses == [ProjectStatus.APPRAISING, ProjectStatus.APPROVED]
    assert ProjectTransition.objects.filter(to_status=ProjectStatus.APPROVED).count() == 1
