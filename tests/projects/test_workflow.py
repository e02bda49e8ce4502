"""The table of moves: every allowed pair is taken by `transition_to`, every other pair refused."""

import importlib
import itertools

import pytest

from projects.models import Project, ProjectStatus
from projects.workflow import DEFAULT_STEP_ROLES, MOVES, TERMINAL_STATUSES, TRANSITIONS, InvalidTransition

ALL_PAIRS = list(itertools.product(ProjectStatus, ProjectStatus))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_transition_to_takes_every_allowed_move(old, new):
    project = Project(status=old)
    assert project.transition_to(new) == old
    assert project.status == new


@pytest.mark.parametrize(("old", "new"), FORBIDDEN, ids=[f"{a}-x-{b}" for a, b in FORBIDDEN])
def test_transition_to_refuses_every_other_move_and_changes_nothing(old, new):
    project = Project(status=old)
    with pytest.raises(InvalidTransition):
        project.transition_to(new)
    assert project.status == old


def test_transition_table_is_the_lifecycle_of_the_issue():
    S = ProjectStatus
    chain = [S.DRAFT, S.SUBMITTED, S.APPRAISING, S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED]
    chain += [S.CLOSED, S.SETTLED]
    for old, new in itertools.pairwise(chain):
        assert new in TRANSITIONS[old]
    assert TERMINAL_STATUSES == {S.REJECTED, S.SETTLED, S.STOPPED, S.WITHDRAWN}
    assert S.RETURNED in TRANSITIONS[S.APPRAISING] and S.REJECTED in TRANSITIONS[S.APPRAISING]
    assert TRANSITIONS[S.ADJUSTING] == {S.IN_PROGRESS, S.STOPPED}


def test_every_status_but_the_terminal_ones_has_a_way_out_and_every_move_is_in_the_table():
    for move in MOVES.values():
        for source in move.sources:
            assert move.target in TRANSITIONS[source]
    reachable = {m.target for m in MOVES.values()} | {ProjectStatus.DRAFT}
    assert reachable == set(ProjectStatus)


def test_national_step_roles_migration_matches_the_code_default():
    migration = importlib.import_module("projects.migrations.0003_national_step_roles")
    national = {a: frozenset(r) for a, r in migration.NATIONAL.items()}
    national["decline_adjustment"] = frozenset({"leader"})  # added by migration 0006
    assert national == DEFAULT_STEP_ROLES
