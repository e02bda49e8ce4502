"""Role × step × own/other province, from the national procedure table; the Ministry reads and never acts."""

import itertools

import pytest

from accounts.roles import Role
from projects import permissions
from projects.models import Project, ProjectStatus, WorkflowAction
from projects.workflow import DEFAULT_STEP_ROLES, MOVES, RECORD_STATUSES

from .conftest import project_in

pytestmark = pytest.mark.django_db

CASES = list(itertools.product(Role.values, WorkflowAction.values, ["own", "other"]))


def a_status_for(action: str) -> str:
    statuses = MOVES[action].sources if action in MOVES else RECORD_STATUSES[action]
    return sorted(statuses)[0]


def expected(role: str, action: str, where: str) -> bool:
    if role == Role.ADMIN:
        return True
    if role == Role.MINISTRY or where == "other":
        return False
    return role in DEFAULT_STEP_ROLES[action]


@pytest.mark.parametrize(("role", "action", "where"), CASES, ids=["-".join(c) for c in CASES])
def test_role_may_take_step_only_in_own_province_per_the_table(world, role, action, where):
    project = project_in(getattr(world, where).plan, a_status_for(action))
    user = world.user(role)  # every provincial user lives in "own"
    assert permissions.can_take(user, project, action) is expected(role, action, where)
    predicate = getattr(permissions, f"can_{action}_project")
    assert predicate(user, project) is expected(role, action, where)


@pytest.mark.parametrize("role", Role.values)
def test_everyone_sees_own_province_and_only_ministry_and_admin_see_others(world, role):
    own = project_in(world.own.plan, ProjectStatus.DRAFT)
    other = project_in(world.other.plan, ProjectStatus.DRAFT)
    user = world.user(role)
    visible = set(Project.objects.visible_to(user))
    sees_all = role in (Role.MINISTRY, Role.ADMIN)
    assert visible == ({own, other} if sees_all else {own})
    assert permissions.can_view_project(user, own)
    assert permissions.can_view_project(user, other) is sees_all


def test_a_user_without_agency_sees_nothing_and_may_do_nothing(world):
    from tests.factories import UserFactory

    lost = UserFactory(username="khongcoquan")
    project = project_in(world.own.plan, ProjectStatus.DRAFT)
    assert not Project.objects.visible_to(lost).exists()
    assert not permissions.can_submit_project(lost, project)


def test_an_inactive_user_may_do_nothing(world):
    officer = world.user(Role.OFFICER)
    officer.is_active = False
    project = project_in(world.own.plan, ProjectStatus.DRAFT)
    assert not permissions.can_submit_project(officer, project)


def test_the_step_is_not_offered_when_the_status_does_not_allow_it(world):
    project = project_in(world.own.plan, ProjectStatus.SUBMITTED)
    assert not permissions.can_submit_project(world.user(Role.OFFICER), project)
    assert permissions.can_start_appraisal_project(world.user(Role.OFFICER), project)
