"""Every move of the table driven through its service: from each allowed status with the right role it
moves and writes one audit row; from every other status it is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from projects.models import Acceptance, ProjectStatus, ProjectTransition
from projects.services import MOVE_SERVICES
from projects.workflow import DEFAULT_STEP_ROLES, MOVES, InvalidTransition

from .conftest import move_kwargs, project_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return module_world


# The moves of the local procedure (the national procedure's own moves are in test_national).
LOCAL_MOVES = {action: move for action, move in MOVES.items() if action in DEFAULT_STEP_ROLES}
ALLOWED = [(action, status) for action, move in LOCAL_MOVES.items() for status in sorted(move.sources)]
FORBIDDEN = [
    (action, status)
    for action, move in LOCAL_MOVES.items()
    for status in ProjectStatus
    if status not in move.sources
]


def role_for(action: str) -> str:
    return sorted(DEFAULT_STEP_ROLES[action])[0]


@pytest.mark.parametrize(("action", "status"), ALLOWED, ids=[f"{a}@{s}" for a, s in ALLOWED])
def test_allowed_move_changes_status_and_writes_one_audit_row(world, action, status):
    project = project_in(world.own.plan, status)
    actor = world.user(role_for(action))
    transition = MOVE_SERVICES[action](actor=actor, project=project, **move_kwargs(action))
    project.refresh_from_db()
    assert project.status == MOVES[action].target
    rows = list(ProjectTransition.objects.filter(project=project))
    assert rows == [transition]
    assert (transition.from_status, transition.to_status, transition.actor) == (status, project.status, actor)
    assert transition.action == action


@pytest.mark.parametrize(("action", "status"), FORBIDDEN, ids=[f"{a}@{s}" for a, s in FORBIDDEN])
def test_forbidden_move_is_refused_and_changes_nothing(world, action, status):
    project = project_in(world.own.plan, status)
    with pytest.raises(InvalidTransition):
        MOVE_SERVICES[action](actor=world.user(role_for(action)), project=project, **move_kwargs(action))
    project.refresh_from_db()
    assert project.status == status
    assert not ProjectTransition.objects.filter(project=project).exists()


@pytest.mark.parametrize("action", list(LOCAL_MOVES))
def test_move_by_a_role_without_the_step_is_refused_and_changes_nothing(world, action):
    status = sorted(MOVES[action].sources)[0]
    project = project_in(world.own.plan, status)
    wrong = next(
        r
        for r in (Role.APPRAISER, Role.CENTRE, Role.OFFICER, Role.LEADER)
        if r not in DEFAULT_STEP_ROLES[action]
    )
    with pytest.raises(PermissionDenied):
        MOVE_SERVICES[action](actor=world.user(wrong), project=project, **move_kwargs(action))
    project.refresh_from_db()
    assert project.status == status and not project.transitions.exists()


@pytest.mark.parametrize("action", list(LOCAL_MOVES))
def test_move_on_another_provinces_project_is_refused(world, action):
    status = sorted(MOVES[action].sources)[0]
    project = project_in(world.other.plan, status)
    with pytest.raises(PermissionDenied):
        MOVE_SERVICES[action](actor=world.user(role_for(action)), project=project, **move_kwargs(action))
    assert not project.transitions.exists()


@pytest.mark.parametrize("action", list(LOCAL_MOVES))
def test_ministry_viewer_can_take_no_move(world, action):
    project = project_in(world.own.plan, sorted(MOVES[action].sources)[0])
    with pytest.raises(PermissionDenied):
        MOVE_SERVICES[action](actor=world.ministry, project=project, **move_kwargs(action))


def test_submission_names_everything_missing(world):
    from tests.factories import ProjectFactory

    project = ProjectFactory(plan=world.own.plan, contents=[])
    with pytest.raises(ValidationError) as error:
        MOVE_SERVICES["submit"](actor=world.user(Role.OFFICER), project=project)
    text = " ".join(error.value.messages)
    for missing in ("nội dung", "địa bàn", "dự toán", "cơ sở thụ hưởng"):
        assert missing in text
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT and not project.transitions.exists()


def test_submission_needs_every_counterpart_commitment(world):
    project = project_in(world.own.plan, ProjectStatus.DRAFT)
    project.beneficiary_links.update(counterpart_committed=False)
    with pytest.raises(ValidationError, match="cam kết vốn đối ứng"):
        MOVE_SERVICES["submit"](actor=world.user(Role.OFFICER), project=project)


@pytest.mark.parametrize(
    ("action", "status", "blank", "needle"),
    [
        ("approve", ProjectStatus.APPRAISING, {"decision_number": " "}, "số quyết định phê duyệt"),
        ("approve", ProjectStatus.APPRAISING, {"decision_date": None}, "ngày quyết định phê duyệt"),
        ("accept", ProjectStatus.IN_PROGRESS, {"minutes_number": ""}, "biên bản nghiệm thu"),
        ("settle", ProjectStatus.CLOSED, {"amounts": {}}, "quyết toán theo nguồn"),
        ("return", ProjectStatus.APPRAISING, {"comment": ""}, "nội dung cần bổ sung"),
    ],
)
def test_move_names_what_is_missing(world, action, status, blank, needle):
    project = project_in(world.own.plan, status)
    with pytest.raises(ValidationError) as error:
        MOVE_SERVICES[action](
            actor=world.user(role_for(action)), project=project, **{**move_kwargs(action), **blank}
        )
    assert needle in " ".join(error.value.messages)
    project.refresh_from_db()
    assert project.status == status and not project.transitions.exists()


def test_acceptance_needs_achieved_outputs(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    project.outputs.update(achieved=None)
    with pytest.raises(ValidationError, match="kết quả đạt được"):
        MOVE_SERVICES["accept"](actor=world.user(Role.CENTRE), project=project, **move_kwargs("accept"))
    assert not Acceptance.objects.filter(project=project).exists()


def test_approval_records_decision_on_project_and_audit_row(world):
    project = project_in(world.own.plan, ProjectStatus.APPRAISING)
    transition = MOVE_SERVICES["approve"](
        actor=world.user(Role.LEADER), project=project, comment="Đồng ý", **move_kwargs("approve")
    )
    assert project.approval_decision_number == "101/QĐ-SCT"
    assert (transition.decision_number, transition.comment) == ("101/QĐ-SCT", "Đồng ý")


def test_system_administrator_may_take_a_move_in_any_province(world):
    project = project_in(world.other.plan, ProjectStatus.SUBMITTED)
    MOVE_SERVICES["start_appraisal"](actor=world.admin, project=project)
    assert project.status == ProjectStatus.APPRAISING


def test_a_province_can_give_a_step_to_another_role(world):
    from projects.models import WorkflowStepRole

    WorkflowStepRole.objects.create(province=world.own.unit, action="start_appraisal", role=Role.LEADER)

    def fresh(role, where="own"):  # a new request: the step table is read again
        return type(world.admin).objects.get(pk=world.user(role, where).pk)

    project = project_in(world.own.plan, ProjectStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        MOVE_SERVICES["start_appraisal"](actor=fresh(Role.OFFICER), project=project)
    MOVE_SERVICES["start_appraisal"](actor=fresh(Role.LEADER), project=project)
    # The other province still follows the national procedure.
    other = project_in(world.other.plan, ProjectStatus.SUBMITTED)
    MOVE_SERVICES["start_appraisal"](actor=fresh(Role.OFFICER, "other"), project=other)
