"""The national procedure: national đề án move through the same workflow table, with the Ministry's
acting roles at the Ministry's steps and nowhere else, the national plan's money checks, and the deadlines
warned about rather than enforced."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from programs.models import AnnualPlan, PlanAllocation
from projects import services
from projects.models import (
    Advance,
    NationalPlan,
    Project,
    ProjectStatus,
    ProjectTransition,
    WorkflowAction,
    WorkflowStepRole,
)
from projects.permissions import can_take, may_take_step
from projects.selectors import tasks_for
from projects.workflow import DEFAULT_NATIONAL_STEP_ROLES, DEFAULT_STEP_ROLES, InvalidTransition
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CommuneFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    content,
    indicator,
    source,
)

from .conftest import build_world, project_in

S, A = ProjectStatus, WorkflowAction
MINISTRY_ROLES = (Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER)
ON_TIME = datetime.date(2025, 5, 1)  # before 20/05/2025: registration for the 2026 plan
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def world(db, advance_rules):
    world = build_world()
    world.national_plan = AnnualPlanFactory(province=world.own.unit, year=2026, kind=AnnualPlan.Kind.NATIONAL)
    return world


def national_project(world, *, amount=300_000_000, status=S.DRAFT, **kwargs) -> Project:
    project = ProjectFactory(
        plan=world.national_plan,
        kind=Project.Kind.NATIONAL,
        status=status,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 11, 30),
        **kwargs,
    )
    project.sites.set([CommuneFactory(province=world.own.unit)])
    BudgetLineFactory(project=project, source=source("kcqg"), content=content(3), amount=amount)
    ProjectBeneficiaryFactory(project=project, beneficiary__province=world.own.unit)
    ProjectOutputFactory(project=project, indicator=indicator("machines"), planned=1)
    return project


def to_cuc_review(world, project):
    own = world.own.users
    services.project_submit(actor=own[Role.CENTRE], project=project, today=ON_TIME)
    services.project_start_appraisal(actor=own[Role.OFFICER], project=project)
    services.appraisal_submit(
        actor=own[Role.APPRAISER],
        project=project,
        score_fit=18,
        score_necessity=17,
        score_efficiency=16,
        score_budget=15,
        score_capacity=18,
        recommendation="approve",
    )
    services.project_forward(actor=own[Role.LEADER], project=project, today=datetime.date(2025, 6, 10))
    services.project_cuc_receive(actor=world.cuc[Role.CUC_OFFICER], project=project)
    project.refresh_from_db()
    return project


def approved_plan(world, projects, *, total=1_000_000_000):
    plan = services.national_plan_create(
        actor=world.cuc[Role.CUC_OFFICER], year=2026, name="Kế hoạch KCQG 2026", total=total
    )
    for project in projects:
        need = sum(project.budget_lines.values_list("amount", flat=True))
        services.national_plan_line_set(
            actor=world.cuc[Role.CUC_OFFICER], plan=plan, project=project, content=content(3), amount=need
        )
    services.national_plan_approve(
        actor=world.cuc[Role.CUC_LEADER],
        plan=plan,
        decision_number="1234/QĐ-BCT",
        decision_date=datetime.date(2026, 1, 15),
    )
    return plan


def test_a_national_project_goes_from_the_centre_through_the_ministry_to_settlement(world):
    own, cuc = world.own.users, world.cuc
    project = to_cuc_review(world, national_project(world))
    assert project.status == S.CUC_REVIEW
    services.appraisal_submit(
        actor=cuc[Role.CUC_COUNCIL],
        project=project,
        score_fit=19,
        score_necessity=18,
        score_efficiency=17,
        score_budget=16,
        score_capacity=18,
        recommendation="approve",
    )
    approved_plan(world, [project])
    project.refresh_from_db()
    assert project.status == S.APPROVED
    assert project.approval_decision_number == "1234/QĐ-BCT"
    allocation = PlanAllocation.objects.get(plan=world.national_plan, source=source("kcqg"))
    assert allocation.amount == 300_000_000
    services.project_contract(
        actor=cuc[Role.CUC_OFFICER], project=project, contract_number="45/HĐ-CĐMST", contract_date=DAY
    )
    services.project_start(actor=own[Role.CENTRE], project=project)
    services.progress_report_submit(
        actor=own[Role.CENTRE],
        project=project,
        month=datetime.date(2026, 3, 1),
        percent_complete=40,
        summary="Đã lắp đặt máy",
        today=datetime.date(2026, 3, 20),
    )
    advance = services.advance_request(
        actor=own[Role.CENTRE], project=project, source=source("kcqg"), amount=90_000_000
    )
    services.advance_decide(actor=cuc[Role.CUC_LEADER], advance=advance, approve=True)
    advance.refresh_from_db()
    assert advance.status == Advance.Status.APPROVED
    services.disbursement_record(
        actor=cuc[Role.CUC_OFFICER],
        project=project,
        source=source("kcqg"),
        amount=90_000_000,
        paid_on=DAY,
        advance=advance,
    )
    services.outputs_record(actor=own[Role.CENTRE], project=project, achieved={indicator("machines"): 1})
    services.project_accept(
        actor=own[Role.OFFICER],
        project=project,
        minutes_number="12/BB-NT",
        minutes_date=datetime.date(2026, 11, 20),
    )
    services.project_close(
        actor=cuc[Role.CUC_OFFICER],
        project=project,
        closure_number="3/BB-TL",
        closure_date=datetime.date(2026, 12, 1),
    )
    services.project_settle(
        actor=cuc[Role.CUC_LEADER],
        project=project,
        amounts={source("kcqg"): 300_000_000},
        decision_number="9/QĐ-CĐMST",
        decision_date=datetime.date(2027, 1, 20),
    )
    project.refresh_from_db()
    assert project.status == S.SETTLED
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions == [
        "submit", "start_appraisal", "forward", "cuc_receive", "national_approve",
        "contract", "start", "accept", "close", "settle",
    ]  # fmt: skip


def test_ministry_roles_take_no_step_on_a_local_project(world):
    for status in S:
        local = project_in(world.own.plan, status)
        for role in MINISTRY_ROLES:
            for action in A:
                assert not may_take_step(world.cuc[role], local, action), (role, action, status)
        for action in A:
            assert not may_take_step(world.ministry, local, action)


def test_the_ministry_viewer_stays_read_only_on_national_projects(world):
    project = national_project(world, status=S.CUC_REVIEW)
    assert not any(may_take_step(world.ministry, project, action) for action in A)
    with pytest.raises(PermissionDenied):
        services.project_cuc_return(actor=world.ministry, project=project, comment="Bổ sung")


def test_ministry_roles_act_on_national_projects_of_every_province_at_their_steps_only(world):
    other_plan = AnnualPlanFactory(province=world.other.unit, year=2026, kind=AnnualPlan.Kind.NATIONAL)
    project = ProjectFactory(plan=other_plan, kind=Project.Kind.NATIONAL, status=S.FORWARDED)
    assert can_take(world.cuc[Role.CUC_OFFICER], project, A.CUC_RECEIVE)
    assert not can_take(world.cuc[Role.CUC_COUNCIL], project, A.CUC_RECEIVE)
    assert not can_take(world.cuc[Role.CUC_LEADER], project, A.CUC_RECEIVE)
    # The Sở's steps are the Sở's: the Cục does not appraise locally nor forward.
    project.status = S.APPRAISING
    for role in MINISTRY_ROLES:
        assert not can_take(world.cuc[role], project, A.FORWARD)
        assert not can_take(world.cuc[role], project, A.APPRAISE)


def test_a_province_user_cannot_take_a_ministry_step(world):
    project = national_project(world, status=S.FORWARDED)
    for role, user in world.own.users.items():
        assert not can_take(user, project, A.CUC_RECEIVE), role
        with pytest.raises(PermissionDenied):
            services.project_cuc_receive(actor=user, project=project)
    project.refresh_from_db()
    assert project.status == S.FORWARDED
    # and another province's users see nothing of it
    assert not Project.objects.visible_to(world.other.users[Role.OFFICER]).filter(pk=project.pk).exists()


def test_every_step_of_either_table_names_roles_that_exist_and_ministry_roles_only_on_national():
    for table in (DEFAULT_STEP_ROLES, DEFAULT_NATIONAL_STEP_ROLES):
        for roles in table.values():
            assert roles <= set(Role.values)
    assert not any(set(MINISTRY_ROLES) & roles for roles in DEFAULT_STEP_ROLES.values())


def test_the_database_refuses_a_ministry_role_on_a_local_step(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkflowStepRole.objects.create(kind="kcdp", action="approve", role=Role.CUC_LEADER)


def test_the_migration_loaded_the_national_steps_as_data(db):
    rows = WorkflowStepRole.objects.filter(kind="kcqg", province=None)
    loaded: dict[str, set[str]] = {}
    for action, role in rows.values_list("action", "role"):
        loaded.setdefault(action, set()).add(role)
    assert loaded == {a: set(r) for a, r in DEFAULT_NATIONAL_STEP_ROLES.items()}


def test_a_province_may_override_a_national_step(world):
    project = national_project(world, status=S.APPRAISING)
    leader, officer = world.own.users[Role.LEADER], world.own.users[Role.OFFICER]
    assert can_take(leader, project, A.FORWARD) and not can_take(officer, project, A.FORWARD)
    WorkflowStepRole.objects.create(kind="kcqg", province=world.own.unit, action="forward", role="officer")
    officer.__dict__.pop("_khuyencong_step_rules", None)
    leader.__dict__.pop("_khuyencong_step_rules", None)
    assert can_take(officer, project, A.FORWARD) and not can_take(leader, project, A.FORWARD)


def test_a_late_registration_needs_its_reason_which_is_recorded(world):
    project = national_project(world)
    centre = world.own.users[Role.CENTRE]
    late = datetime.date(2025, 5, 21)
    with pytest.raises(ValidationError) as refused:
        services.project_submit(actor=centre, project=project, today=late)
    assert "20/05/2025" in str(refused.value) and "lý do" in str(refused.value)
    project.refresh_from_db()
    assert project.status == S.DRAFT and not project.transitions.exists()
    services.project_submit(actor=centre, project=project, today=late, late_reason="Chờ khảo sát nhu cầu")
    row = project.transitions.get()
    assert "Chờ khảo sát nhu cầu" in row.acknowledged_warnings and "20/05/2025" in row.acknowledged_warnings


def test_a_late_forward_is_sent_with_the_warning_kept(world):
    project = national_project(world, status=S.APPRAISING)
    services.project_forward(
        actor=world.own.users[Role.LEADER], project=project, today=datetime.date(2025, 7, 1)
    )
    assert "20/06/2025" in project.transitions.get().acknowledged_warnings


def test_a_unit_filing_directly_with_the_cuc_skips_the_so(world):
    direct = national_project(world, status=S.SUBMITTED, files_with_ministry=True)
    via_so = national_project(world, status=S.SUBMITTED)
    officer, cuc_officer = world.own.users[Role.OFFICER], world.cuc[Role.CUC_OFFICER]
    assert not can_take(officer, direct, A.START_APPRAISAL)
    assert can_take(cuc_officer, direct, A.CUC_RECEIVE)
    assert can_take(officer, via_so, A.START_APPRAISAL)
    assert not can_take(cuc_officer, via_so, A.CUC_RECEIVE)
    with pytest.raises(InvalidTransition):
        services.project_cuc_receive(actor=cuc_officer, project=via_so)
    services.project_cuc_receive(actor=cuc_officer, project=direct)
    direct.refresh_from_db()
    assert direct.status == S.CUC_REVIEW


def test_a_plan_whose_lines_exceed_its_total_is_refused_with_the_figures(world):
    project = to_cuc_review(world, national_project(world))
    second = to_cuc_review(world, national_project(world, amount=200_000_000))
    officer = world.cuc[Role.CUC_OFFICER]
    plan = services.national_plan_create(actor=officer, year=2026, name="KH 2026", total=400_000_000)
    services.national_plan_line_set(
        actor=officer, plan=plan, project=project, content=content(3), amount=300_000_000
    )
    with pytest.raises(ValidationError) as refused:
        services.national_plan_line_set(
            actor=officer, plan=plan, project=second, content=content(3), amount=200_000_000
        )
    text = " ".join(refused.value.messages)
    assert "500.000.000" in text and "400.000.000" in text and "100.000.000" in text
    assert plan.lines.count() == 1


def test_a_plan_approval_that_fails_for_one_project_changes_nothing(world):
    first = to_cuc_review(world, national_project(world))
    short = to_cuc_review(world, national_project(world, amount=200_000_000))
    officer, leader = world.cuc[Role.CUC_OFFICER], world.cuc[Role.CUC_LEADER]
    plan = services.national_plan_create(actor=officer, year=2026, name="KH 2026", total=1_000_000_000)
    services.national_plan_line_set(
        actor=officer, plan=plan, project=first, content=content(3), amount=300_000_000
    )
    services.national_plan_line_set(
        actor=officer, plan=plan, project=short, content=content(3), amount=150_000_000
    )
    before = ProjectTransition.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.national_plan_approve(
            actor=leader, plan=plan, decision_number="1/QĐ-BCT", decision_date=datetime.date(2026, 1, 2)
        )
    assert "200.000.000" in " ".join(refused.value.messages)
    plan.refresh_from_db()
    assert plan.status == NationalPlan.Status.DRAFT
    assert ProjectTransition.objects.count() == before
    assert not PlanAllocation.objects.filter(plan=world.national_plan, source=source("kcqg")).exists()
    first.refresh_from_db()
    assert first.status == S.CUC_REVIEW


def test_only_the_ministry_leadership_approves_the_plan(world):
    project = to_cuc_review(world, national_project(world))
    officer = world.cuc[Role.CUC_OFFICER]
    plan = services.national_plan_create(actor=officer, year=2026, name="KH 2026", total=1_000_000_000)
    services.national_plan_line_set(
        actor=officer, plan=plan, project=project, content=content(3), amount=300_000_000
    )
    for user in [officer, world.cuc[Role.CUC_COUNCIL], world.ministry, world.own.users[Role.LEADER]]:
        with pytest.raises(PermissionDenied):
            services.national_plan_approve(
                actor=user, plan=plan, decision_number="1/QĐ-BCT", decision_date=datetime.date(2026, 1, 2)
            )
    with pytest.raises(PermissionDenied):
        services.national_plan_create(actor=world.own.users[Role.LEADER], year=2027, name="x", total=1)


def test_the_plan_approval_applies_the_caps_in_force(world):
    from programs.models import SupportCap

    SupportCap.objects.create(
        content=content(3), item="Máy móc tiên tiến", percent_of_cost=50, legal_basis="NĐ 45/2012 (thử)"
    )
    source("kcqg").__class__.objects.filter(code="kcqg").update(is_state_budget=True)
    project = to_cuc_review(world, national_project(world))
    with pytest.raises(ValidationError) as refused:
        approved_plan(world, [project])
    assert "50%" in " ".join(refused.value.messages)
    project.refresh_from_db()
    assert project.status == S.CUC_REVIEW


def test_a_change_the_cuc_decides_cannot_raise_the_money(world):
    source("kcqg").__class__.objects.filter(code="kcqg").update(is_state_budget=True)
    project = to_cuc_review(world, national_project(world))
    approved_plan(world, [project], total=2_000_000_000)
    cuc, own = world.cuc, world.own.users
    services.project_contract(
        actor=cuc[Role.CUC_OFFICER], project=project, contract_number="1/HĐ", contract_date=DAY
    )
    services.project_start(actor=own[Role.CENTRE], project=project)
    with pytest.raises(ValidationError):
        services.project_request_adjustment(actor=own[Role.CENTRE], project=project, comment="Đổi địa điểm")
    services.project_request_adjustment(
        actor=own[Role.CENTRE], project=project, comment="Đổi địa điểm", change_kind="site"
    )
    project.budget_lines.update(amount=350_000_000)
    with pytest.raises(ValidationError) as refused:
        services.project_approve_adjustment(
            actor=cuc[Role.CUC_LEADER], project=project, decision_number="2/QĐ", decision_date=DAY
        )
    assert "Bộ trưởng" in " ".join(refused.value.messages)


def test_the_ministry_desk_lists_its_tasks_across_provinces(world):
    review = to_cuc_review(world, national_project(world))
    other_plan = AnnualPlanFactory(province=world.other.unit, year=2026, kind=AnnualPlan.Kind.NATIONAL)
    forwarded = ProjectFactory(plan=other_plan, kind=Project.Kind.NATIONAL, status=S.FORWARDED)
    project_in(world.own.plan, S.SUBMITTED)  # a local đề án is nobody's task at the Ministry
    officer_tasks = {p.pk: steps for p, steps in tasks_for(world.cuc[Role.CUC_OFFICER]).projects}
    assert officer_tasks == {forwarded.pk: [A.CUC_RECEIVE]}
    council = {p.pk: steps for p, steps in tasks_for(world.cuc[Role.CUC_COUNCIL]).projects}
    assert council == {review.pk: [A.CUC_APPRAISE]}
    assert tasks_for(world.ministry).count == 0
    # the province's own users see the national đề án at their steps
    national = national_project(world, status=S.APPRAISING)
    leader_tasks = {p.pk: steps for p, steps in tasks_for(world.own.users[Role.LEADER]).projects}
    assert A.FORWARD in leader_tasks[national.pk]


def test_role_step_and_province_on_national_projects_follow_the_national_table(world):
    """Every role × every step × own/other province, on national đề án: the national table decides; the
    Ministry's acting roles act in every province, provincial roles in their own, the viewer never."""
    from accounts.roles import MINISTRY_ACTING_ROLES
    from projects.workflow import MOVES, RECORD_STATUSES

    other_plan = AnnualPlanFactory(province=world.other.unit, year=2026, kind=AnnualPlan.Kind.NATIONAL)
    plans = {"own": world.national_plan, "other": other_plan}
    wrong = []
    for action in [a for a in A.values if a in MOVES or a in RECORD_STATUSES]:
        status = sorted(MOVES[action].sources if action in MOVES else RECORD_STATUSES[action])[0]
        for where, plan in plans.items():
            project = ProjectFactory(plan=plan, kind=Project.Kind.NATIONAL, status=status)
            for role in Role.values:
                user = world.user(role)
                if role == Role.ADMIN:
                    want = action in DEFAULT_NATIONAL_STEP_ROLES
                elif role == Role.MINISTRY:
                    want = False
                elif role in MINISTRY_ACTING_ROLES:
                    want = role in DEFAULT_NATIONAL_STEP_ROLES.get(action, ())
                else:
                    want = where == "own" and role in DEFAULT_NATIONAL_STEP_ROLES.get(action, ())
                if can_take(user, project, action) is not want:
                    wrong.append(f"{role} {action}@{status} [{where}]: expected {want}")
    assert not wrong, "\n".join(wrong)


def test_the_cuc_is_told_when_a_so_forwards_and_the_centre_when_the_cuc_returns(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    project = national_project(world, status=S.APPRAISING)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_forward(actor=world.own.users[Role.LEADER], project=project)
    assert [m.to for m in mailoutbox] == [[world.cuc[Role.CUC_OFFICER].email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_cuc_receive(actor=world.cuc[Role.CUC_OFFICER], project=project)
        services.project_cuc_return(
            actor=world.cuc[Role.CUC_LEADER], project=project, comment="Bổ sung báo giá"
        )
    recipients = {email for m in mailoutbox for email in m.to}
    assert world.cuc[Role.CUC_COUNCIL].email in recipients  # the council scores what the Cục took up
    assert {world.own.users[Role.CENTRE].email, world.own.users[Role.OFFICER].email} <= recipients
    assert not {u.email for u in world.other.users.values()} & recipients


def test_the_plan_approval_asks_to_acknowledge_double_support(world):
    from projects.services import DoubleSupportWarning

    project = to_cuc_review(world, national_project(world))
    beneficiary = project.beneficiary_links.get().beneficiary
    earlier = project_in(world.own.plan, S.IN_PROGRESS, start_date=datetime.date(2025, 3, 1))
    earlier.contents.set([content(3)])
    earlier.end_date = datetime.date(2026, 12, 31)
    earlier.save()
    earlier.beneficiary_links.update(beneficiary=beneficiary)
    officer, leader = world.cuc[Role.CUC_OFFICER], world.cuc[Role.CUC_LEADER]
    plan = services.national_plan_create(actor=officer, year=2026, name="KH 2026", total=1_000_000_000)
    services.national_plan_line_set(
        actor=officer, plan=plan, project=project, content=content(3), amount=300_000_000
    )
    decision = {"decision_number": "7/QĐ-BCT", "decision_date": datetime.date(2026, 1, 5)}
    with pytest.raises(DoubleSupportWarning):
        services.national_plan_approve(actor=leader, plan=plan, **decision)
    project.refresh_from_db()
    assert project.status == S.CUC_REVIEW
    services.national_plan_approve(actor=leader, plan=plan, acknowledge_double_support=True, **decision)
    project.refresh_from_db()
    assert project.status == S.APPROVED
    assert earlier.code in project.transitions.get(action="national_approve").acknowledged_warnings


def test_the_plan_approval_applies_the_ministrys_appraisal_rule(world):
    from projects.models import AppraisalRule

    # The province's own rule is lenient; a national đề án is approved by the Minister under the Ministry's.
    AppraisalRule.objects.create(province=world.own.unit, min_sheets=1, legal_basis="Quy chế của tỉnh")
    ministry_rule = AppraisalRule.objects.get(province__isnull=True)
    ministry_rule.min_sheets, ministry_rule.min_average = 2, 90
    ministry_rule.save()
    project = to_cuc_review(world, national_project(world))  # one sheet, 84/100
    with pytest.raises(ValidationError) as refused:
        approved_plan(world, [project])
    message = " ".join(refused.value.messages)
    assert project.code in message and "2 phiếu" in message and "84,0/100" in message
    project.refresh_from_db()
    assert project.status == S.CUC_REVIEW
    assert not NationalPlan.objects.filter(status=NationalPlan.Status.APPROVED).exists()

    ministry_rule.min_sheets, ministry_rule.min_average = 1, 80
    ministry_rule.save()
    NationalPlan.objects.all().delete()
    approved_plan(world, [project])
    project.refresh_from_db()
    assert project.status == S.APPROVED
