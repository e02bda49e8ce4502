"""A small world for the lifecycle tests: two provinces, one user per role in each, a Ministry viewer and
a system administrator; and helpers that put a đề án in any status with what that status implies."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import GROUP_NAMES, Role
from programs.models import Agency
from projects.models import Acceptance, AdvanceRule, ProjectStatus, ProjectTransition
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    AppraisalFactory,
    BudgetLineFactory,
    CommuneFactory,
    PlanAllocationFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    StaffProfileFactory,
    UserFactory,
    content,
    source,
)

S = ProjectStatus
PROVINCE_ROLES = [Role.OFFICER, Role.APPRAISER, Role.LEADER, Role.CENTRE]


@dataclass
class Province:
    unit: object
    plan: object
    users: dict = field(default_factory=dict)


@dataclass
class World:
    own: Province
    other: Province
    ministry: object
    admin: object
    cuc: dict = field(default_factory=dict)  # the Ministry's acting roles (national đề án only)

    def user(self, role: str, where: str = "own"):
        if role == Role.MINISTRY:
            return self.ministry
        if role in self.cuc:
            return self.cuc[role]
        if role == Role.ADMIN:
            return self.admin
        return getattr(self, where).users[role]


def make_user(role: str, agency, username: str):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    if agency is not None:
        StaffProfileFactory(user=user, agency=agency)
    return user


def make_province(tag: str) -> Province:
    unit = ProvinceFactory()
    plan = AnnualPlanFactory(province=unit, year=2025)
    PlanAllocationFactory(plan=plan, source=source("kcdp"), amount=1_000_000_000)
    agency = AgencyFactory(province=unit)
    users = {role: make_user(role, agency, f"{role}.{tag}") for role in PROVINCE_ROLES}
    return Province(unit=unit, plan=plan, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world built once for a module whose tests only add rows: each test runs in a savepoint inside
    this module's transaction, rolled back at the end. Tests that change a user must refetch it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_world() -> World:
    ministry_agency = Agency.objects.create(name="Cục Khuyến công (thử)", kind=Agency.Kind.CUC)
    admin = UserFactory(username="quantri", email="quantri@example.vn", is_superuser=True, is_staff=True)
    return World(
        own=make_province("own"),
        other=make_province("other"),
        ministry=make_user(Role.MINISTRY, ministry_agency, "bo"),
        admin=admin,
        cuc={
            role: make_user(role, ministry_agency, f"{role}.bo")
            for role in (Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER)
        },
    )


@pytest.fixture
def advance_rules(db):
    """The rules of fixtures/reference/advance_rules.json (contents there are named by their number)."""
    rows = json.loads(Path("fixtures/reference/advance_rules.json").read_text(encoding="utf-8"))
    for row in rows:
        fields = dict(row["fields"])
        number = fields.pop("content")
        AdvanceRule.objects.create(pk=row["pk"], content=content(number) if number else None, **fields)


def ready_project(plan, *, amount: int = 100_000_000, status: str = S.DRAFT, **kwargs):
    """A đề án with everything submission needs: a content, a site, a budget line, a committed beneficiary;
    under appraisal or past it, the one scoring sheet the national rule asks for before approval."""
    project = ProjectFactory(plan=plan, status=status, **kwargs)
    project.sites.set([CommuneFactory(province=plan.province)])
    BudgetLineFactory(project=project, source=source("kcdp"), content=content(1), amount=amount)
    ProjectBeneficiaryFactory(project=project, beneficiary__province=plan.province)
    if status == S.APPRAISING or status in AFTER_APPROVAL:
        AppraisalFactory(project=project)
    return project


# What a đề án in each status already has (so any move out of it can be taken).
AFTER_APPROVAL = {
    S.APPROVED,
    S.CONTRACTED,
    S.IN_PROGRESS,
    S.ADJUSTING,
    S.ACCEPTED,
    S.CLOSED,
    S.SETTLED,
    S.STOPPED,
}


def project_in(plan, status: str, **kwargs):
    project = ready_project(plan, status=status, **kwargs)
    if status in AFTER_APPROVAL:
        project.approval_decision_number = "12/QĐ-SCT"
        project.approval_decision_date = datetime.date(2025, 3, 1)
        project.save()
    if status in {S.IN_PROGRESS, S.ADJUSTING, S.ACCEPTED, S.CLOSED, S.SETTLED}:
        ProjectOutputFactory(project=project, planned=30, achieved=30)
    if status in {S.ACCEPTED, S.CLOSED, S.SETTLED}:
        Acceptance.objects.create(
            project=project,
            minutes_number="05/BB-NT",
            minutes_date=datetime.date(2025, 10, 1),
            recorded_by=UserFactory(),
        )
    return project


def move_kwargs(action: str) -> dict:
    """The arguments each move needs besides actor and project."""
    day = datetime.date(2025, 6, 1)
    return {
        "return": {"comment": "Bổ sung dự toán chi tiết"},
        "reject": {"comment": "Không phù hợp nội dung"},
        "approve": {"decision_number": "101/QĐ-SCT", "decision_date": day},
        "contract": {"contract_number": "15/HĐ-KC", "contract_date": day},
        "request_adjustment": {"comment": "Điều chỉnh thời gian"},
        "approve_adjustment": {"decision_number": "102/QĐ-SCT", "decision_date": day},
        "decline_adjustment": {"comment": "Giữ nguyên dự toán đã phê duyệt"},
        "stop": {"comment": "Cơ sở không còn nhu cầu"},
        "accept": {"minutes_number": "05/BB-NT", "minutes_date": day},
        "settle": {
            "amounts": {source("kcdp"): 90_000_000},
            "decision_number": "201/QĐ-SCT",
            "decision_date": day,
        },
    }.get(action, {})


def grow(project, world):
    """Six more rows of everything the page lists."""
    for n in range(6):
        ProjectBeneficiaryFactory(project=project, beneficiary__province=world.own.unit)
        BudgetLineFactory(
            project=project, source=source("kcqg" if n % 2 else "kcdp"), content=content(n % 3 + 1)
        )
        project.sites.add(CommuneFactory(province=world.own.unit))
        ProjectTransition.objects.create(
            project=project,
            action="start",
            from_status=S.CONTRACTED,
            to_status=S.IN_PROGRESS,
            actor=world.user(Role.CENTRE),
            comment=f"Ghi chú {n}",
        )


__all__ = ["World", "grow", "make_user", "move_kwargs", "project_in", "ready_project"]
