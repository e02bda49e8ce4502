"""No sequence of allowed moves breaks the money rules, whatever the amounts and the order:
disbursed never exceeds approved per đề án and source, granted advances never exceed the approved amount,
and the đề án holding a plan's money never hold more than the plan allocated.

Every step goes through the workflow services (the same ones the pages and the admin call); a refusal
(ValidationError, InvalidTransition, PermissionDenied) is an allowed outcome, a broken rule is not."""

import datetime
import inspect

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st

from programs.models import PlanAllocation
from projects import services
from projects.models import Advance, AppraisalRule, BudgetLine, Disbursement, ProjectOutput, ProjectStatus
from projects.services.checks import plan_committed_by_source
from projects.workflow import MOVES as MOVES_TABLE
from projects.workflow import PLAN_MOVES, InvalidTransition, action_allowed_in
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CommuneFactory,
    PlanAllocationFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    UserFactory,
    content,
    source,
)

ORDER = [
    ProjectStatus.DRAFT,
    ProjectStatus.WITHDRAWN,
    ProjectStatus.SUBMITTED,
    ProjectStatus.RETURNED,
    ProjectStatus.REJECTED,
    ProjectStatus.APPRAISING,
    ProjectStatus.APPROVED,
    ProjectStatus.CONTRACTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ADJUSTING,
    ProjectStatus.STOPPED,
    ProjectStatus.ACCEPTED,
    ProjectStatus.CLOSED,
    ProjectStatus.SETTLED,
]
# The usual path, in order of preference when a status allows several.
FORWARD = [
    "submit",
    "start_appraisal",
    "approve",
    "approve_adjustment",
    "contract",
    "start",
    "accept",
    "close",
    "settle",
]
HEAD = ["submit", "start_appraisal", "approve", "contract", "start"]
REFUSALS = (ValidationError, InvalidTransition, PermissionDenied)
MOVES = sorted(services.MOVE_SERVICES)
DAY = datetime.date(2025, 6, 1)


class _Undo(Exception):
    """Raised at the end of each example to roll its writes back."""


# What each argument of a move service is given, by the argument's name: the arguments a move takes are
# read from the service's own signature, so a service that gains a required argument cannot be called
# without it here (test_every_move_is_given_every_argument_its_service_requires fails first, by name).
def _argument_values() -> dict:
    return {
        "comment": "Ý kiến khi chuyển bước",
        "decision_number": "101/QĐ-SCT",
        "decision_date": DAY,
        "acknowledge_double_support": True,
        "contract_number": "15/HĐ-KC",
        "contract_date": DAY,
        "minutes_number": "05/BB-NT",
        "minutes_date": DAY,
        "closure_number": "07/BB-TL",
        "closure_date": DAY,
        # Settlement: the whole estimate, from the local budget (read when the move is taken).
        "amounts": lambda project: {
            source("kcdp"): project.budget_lines.aggregate(t=Sum("amount"))["t"] or 0
        },
    }


# Arguments every move service takes from the caller itself, not from the table above.
CALLER_ARGUMENTS = {"actor", "project"}
# Optional arguments the walk leaves at their default (the default is the usual answer).
LEFT_AT_DEFAULT = {"conclusion", "late_reason", "today", "change_kind"}


def move_parameters(action: str) -> list[inspect.Parameter]:
    signature = inspect.signature(services.MOVE_SERVICES[action])
    return [p for name, p in signature.parameters.items() if name not in CALLER_ARGUMENTS]


def move_kwargs(action: str, project) -> dict:
    values = _argument_values()
    kwargs = {}
    for parameter in move_parameters(action):
        if parameter.name in values:
            value = values[parameter.name]
            kwargs[parameter.name] = value(project) if callable(value) else value
        elif parameter.default is inspect.Parameter.empty:
            raise AssertionError(f"move {action!r}: no value for its required argument {parameter.name!r}")
    return kwargs


def test_every_move_is_given_every_argument_its_service_requires():
    """The walk's table cannot drift from the services: every move of the workflow has its service, and
    every argument of every service is either given here or knowingly left at its default."""
    # A national đề án enters the national plan through the plan's approval (national_plan_approve).
    moves = set(MOVES_TABLE) - PLAN_MOVES
    assert set(services.MOVE_SERVICES) == moves, "a move without its service, or the reverse"
    known = set(_argument_values()) | LEFT_AT_DEFAULT
    for action in moves:
        for parameter in move_parameters(action):
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{action}: {parameter.name}"
            assert parameter.name in known, f"move {action!r}: argument {parameter.name!r} is never given"
        # The arguments the walk gives are exactly the ones the service accepts.
        given_names = {p.name for p in move_parameters(action) if p.name in _argument_values()}
        inspect.signature(services.MOVE_SERVICES[action]).bind(
            actor=None, project=None, **dict.fromkeys(given_names)
        )


# Steps on one of three đề án. "forward" takes the next move of the usual path the status allows; "side"
# one of the other allowed moves (return, reject, adjustment, stop, withdraw); money steps ask for a share
# (in per cent, up to 150 %) of the đề án's budget, so amounts land on both sides of every limit.
share = st.one_of(st.integers(min_value=1, max_value=15), st.integers(min_value=1, max_value=150))
project_no = st.integers(0, 2) | st.just(0)
step = st.one_of(
    *[st.tuples(st.just("forward"), project_no, st.just(0))] * 3,
    *[st.tuples(st.just("advance"), project_no, share)] * 2,
    *[st.tuples(st.just("decide"), project_no, st.sampled_from([True, True, False]))] * 2,
    *[st.tuples(st.just("disburse"), project_no, share)] * 3,
    st.tuples(st.just("side"), project_no, st.integers(0, 10)),
    st.tuples(st.just("outputs"), project_no, st.just(0)),
)


def check_rules(plan, projects) -> None:
    kcdp = source("kcdp")
    allocated = PlanAllocation.objects.get(plan=plan, source=kcdp).amount
    assert plan_committed_by_source(plan).get(kcdp.pk, 0) <= allocated, "the plan holds more than allocated"
    for project in projects:
        approved = (
            BudgetLine.objects.filter(project=project, source=kcdp).aggregate(t=Sum("amount"))["t"] or 0
        )
        paid = Disbursement.objects.filter(project=project, source=kcdp).aggregate(t=Sum("amount"))["t"] or 0
        granted = (
            Advance.objects.filter(project=project, source=kcdp, status=Advance.Status.APPROVED).aggregate(
                t=Sum("amount")
            )["t"]
            or 0
        )
        assert paid <= approved, f"{project.code}: disbursed {paid} > approved {approved}"
        assert granted <= approved, f"{project.code}: advances {granted} > approved {approved}"


@pytest.fixture
def ground(reference_data):
    call_command("loaddata", "fixtures/reference/advance_rules.json", verbosity=0)
    admin = UserFactory(username="quantri.tien", is_superuser=True, is_staff=True)
    # The walk is about money; the appraisal needed before approval has its own tests.
    AppraisalRule.objects.update(min_sheets=0)
    return admin


@settings(max_examples=10)
@given(
    # The plan's allocation, in per cent of the three budgets together: from too little to plenty.
    allocation_share=st.integers(min_value=50, max_value=150),
    budgets=st.lists(st.integers(min_value=1_000_000, max_value=500_000_000), min_size=3, max_size=3),
    stages=st.lists(st.integers(min_value=2, max_value=5) | st.just(5), min_size=3, max_size=3),
    steps=st.lists(step, min_size=15, max_size=35),
)
def test_no_sequence_of_allowed_moves_breaks_the_money_rules(
    ground, allocation_share, budgets, stages, steps
):
    admin = ground
    kcdp = source("kcdp")
    try:
        with transaction.atomic():
            province = ProvinceFactory()
            plan = AnnualPlanFactory(province=province, year=2025)
            PlanAllocationFactory(plan=plan, source=kcdp, amount=sum(budgets) * allocation_share // 100)
            projects = []
            for budget in budgets:
                project = ProjectFactory(plan=plan)
                project.sites.set([CommuneFactory(province=province)])
                BudgetLineFactory(project=project, source=kcdp, content=content(1), amount=budget)
                ProjectBeneficiaryFactory(project=project, beneficiary__province=province)
                ProjectOutputFactory(project=project, planned=10)
                projects.append(project)
            # Each đề án is first taken along the usual path as far as drawn (approval may be refused when
            # the plan has no room left): the walk then starts where money matters.
            for project, stage in zip(projects, stages, strict=True):
                for action in HEAD[:stage]:
                    try:
                        with transaction.atomic():
                            services.MOVE_SERVICES[action](
                                actor=admin, project=project, **move_kwargs(action, project)
                            )
                    except REFUSALS:
                        break
            for kind, index, arg in steps:
                project = projects[index]
                project.refresh_from_db()
                try:
                    with transaction.atomic():
                        budget = project.budget_lines.aggregate(t=Sum("amount"))["t"] or 0
                        if kind in ("forward", "side"):
                            allowed = [a for a in MOVES if action_allowed_in(a, project.status)]
                            if kind == "forward":
                                chosen = [a for a in FORWARD if a in allowed]
                            else:
                                chosen = [a for a in allowed if a not in FORWARD and a != "withdraw"]
                            if chosen:
                                action = chosen[0] if kind == "forward" else chosen[arg % len(chosen)]
                                services.MOVE_SERVICES[action](
                                    actor=admin, project=project, **move_kwargs(action, project)
                                )
                        elif kind == "advance":
                            # A request, then (usually) the leader's decision on it, at once.
                            advance = services.advance_request(
                                actor=admin, project=project, source=kcdp, amount=max(1, budget * arg // 100)
                            )
                            if arg % 4:
                                services.advance_decide(actor=admin, advance=advance, approve=arg % 4 != 3)
                        elif kind == "decide":
                            pending = Advance.objects.filter(project=project, status=Advance.Status.REQUESTED)
                            for advance in pending:
                                services.advance_decide(actor=admin, advance=advance, approve=arg)
                        elif kind == "disburse":
                            services.disbursement_record(
                                actor=admin,
                                project=project,
                                source=kcdp,
                                amount=arg,
                                paid_on=timezone.localdate(),
                            )
                        elif kind == "outputs":
                            services.outputs_record(
                                actor=admin,
                                project=project,
                                achieved={
                                    o.indicator: 10 for o in ProjectOutput.objects.filter(project=project)
                                },
                            )
                except REFUSALS as refused:
                    event(f"refused {kind}: {type(refused).__name__}")
                check_rules(plan, projects)
            # The walk is not vacuous: count how far the đề án got (kept for the failure message).
            for p in projects:
                p.refresh_from_db()
            event(f"furthest: {max((ORDER.index(p.status) for p in projects), default=0)}")
            event(f"paid: {Disbursement.objects.filter(project__plan=plan).exists()}")
            raise _Undo
    except _Undo:
        pass


def test_the_walk_reaches_approval_and_payment_when_money_allows(ground):
    """A fixed path through the same services: approval, contract, advance, payment, acceptance."""
    admin = ground
    kcdp = source("kcdp")
    province = ProvinceFactory()
    plan = AnnualPlanFactory(province=province, year=2025)
    PlanAllocationFactory(plan=plan, source=kcdp, amount=500_000_000)
    project = ProjectFactory(plan=plan)
    project.sites.set([CommuneFactory(province=province)])
    BudgetLineFactory(project=project, source=kcdp, content=content(1), amount=100_000_000)
    ProjectBeneficiaryFactory(project=project, beneficiary__province=province)
    ProjectOutputFactory(project=project, planned=10)
    for action in ("submit", "start_appraisal", "approve", "contract"):
        services.MOVE_SERVICES[action](actor=admin, project=project, **move_kwargs(action, project))
    advance = services.advance_request(actor=admin, project=project, source=kcdp, amount=30_000_000)
    services.advance_decide(actor=admin, advance=advance, approve=True)
    services.disbursement_record(actor=admin, project=project, source=kcdp, amount=30_000_000, paid_on=DAY)
    with pytest.raises(ValidationError):
        services.disbursement_record(actor=admin, project=project, source=kcdp, amount=1, paid_on=DAY)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CONTRACTED
    check_rules(plan, [project])
