"""Role × step × own/other province, from the national procedure table; the Ministry reads and never acts."""

import itertools

import pytest

from accounts.roles import MINISTRY_ROLES, Role
from projects import permissions
from projects.models import Project, ProjectStatus, WorkflowAction
from projects.workflow import DEFAULT_STEP_ROLES, MOVES, RECORD_STATUSES

from .conftest import project_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def matrix(module_world, django_db_blocker):
    """One world and one đề án per province and status, built once for the whole matrix."""
    with django_db_blocker.unblock():
        projects = {
            (where, status): project_in(getattr(module_world, where).plan, status)
            for where in ("own", "other")
            for status in ProjectStatus
        }
    return module_world, projects


# Every step taken on a đề án (drafting the national plan is a step on the plan, tested in test_national).
STEPS = [a for a in WorkflowAction.values if a in MOVES or a in RECORD_STATUSES]
CASES = list(itertools.product(Role.values, STEPS, ["own", "other"]))


def a_status_for(action: str) -> str:
    statuses = MOVES[action].sources if action in MOVES else RECORD_STATUSES[action]
    return sorted(statuses)[0]


def expected(role: str, action: str, where: str) -> bool:
    """On a local đề án: the local table; steps of the national procedure only are nobody's, and no
    Ministry role acts."""
    if action not in DEFAULT_STEP_ROLES:
        return False
    if role == Role.ADMIN:
        return True
    if role in MINISTRY_ROLES or where == "other":
        return False
    return role in DEFAULT_STEP_ROLES[action]


@pytest.mark.parametrize(("role", "action", "where"), CASES, ids=["-".join(c) for c in CASES])
def test_role_may_take_step_only_in_own_province_per_the_table(matrix, role, action, where):
    world, projects = matrix
    project = projects[(where, a_status_for(action))]
    user = world.user(role)  # every provincial user lives in "own"
    assert permissions.can_take(user, project, action) is expected(role, action, where)
    predicate = getattr(permissions, f"can_{action}_project")
    assert predicate(user, project) is expected(role, action, where)


@pytest.mark.parametrize("role", Role.values)
def test_everyone_sees_own_province_and_only_ministry_and_admin_see_others(matrix, role):
    world, projects = matrix
    own = {p for (where, _status), p in projects.items() if where == "own"}
    other = {p for (where, _status), p in projects.items() if where == "other"}
    user = world.user(role)
    sees_all = role in MINISTRY_ROLES or role == Role.ADMIN
    assert set(Project.objects.visible_to(user)) == (own | other if sees_all else own)
    assert all(permissions.can_view_project(user, p) for p in own)
    assert all(permissions.can_view_project(user, p) is sees_all for p in other)


def test_a_user_without_agency_sees_nothing_and_may_do_nothing(matrix):
    from tests.factories import UserFactory

    _world, projects = matrix
    lost = UserFactory(username="khongcoquan")
    assert not Project.objects.visible_to(lost).exists()
    assert not permissions.can_submit_project(lost, projects[("own", ProjectStatus.DRAFT)])


def test_an_inactive_user_may_do_nothing(matrix):
    world, projects = matrix
    officer = type(world.user(Role.OFFICER)).objects.get(pk=world.user(Role.OFFICER).pk)
    officer.is_active = False
    assert not permissions.can_submit_project(officer, projects[("own", ProjectStatus.DRAFT)])


def test_the_step_is_not_offered_when_the_status_does_not_allow_it(matrix):
    world, projects = matrix
    project = projects[("own", ProjectStatus.SUBMITTED)]
    assert not permissions.can_submit_project(world.user(Role.OFFICER), project)
    assert permissions.can_start_appraisal_project(world.user(Role.OFFICER), project)
