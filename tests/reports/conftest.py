"""A generated world for the report tests: two provinces of today's map (one made of an old province with
districts and communes), plans with allocations, đề án in many statuses with money from several sources,
beneficiaries of several kinds, outputs, advances, disbursements and settlements spread over the year."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import GROUP_NAMES, Role
from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from projects.models import (
    Advance,
    Disbursement,
    ProjectStatus,
    SettlementLine,
)
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    BudgetLineFactory,
    PlanAllocationFactory,
    ProgrammeFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    StaffProfileFactory,
    UserFactory,
    beneficiary_kind,
    content,
    indicator,
    source,
)

YEAR = 2024
STATUSES = [
    ProjectStatus.DRAFT,
    ProjectStatus.SUBMITTED,
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTED,
    ProjectStatus.SETTLED,
    ProjectStatus.STOPPED,
]


@dataclass
class ReportWorld:
    province: AdministrativeUnit
    other: AdministrativeUnit
    old_province: AdministrativeUnit
    districts: list
    communes: list
    plans: list
    programme: object
    leader: object
    other_officer: object
    ministry: object
    projects: list = field(default_factory=list)
    all_plans: list = field(default_factory=list)


def _user(role: str, agency, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    if agency is not None:
        StaffProfileFactory(user=user, agency=agency)
    return user


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _old_map(today: AdministrativeUnit):
    old = AdministrativeUnit.objects.create(
        code="O92",
        name="Cần Thơ cũ",
        full_name="Thành phố Cần Thơ cũ",
        kind=AdministrativeUnit.Kind.THANH_PHO_TW,
        level=AdministrativeUnit.Level.PROVINCE,
        era=AdministrativeUnit.Era.OLD,
        valid_to=datetime.date(2025, 6, 30),
        current_province=today,
    )
    old.province = old
    old.save(update_fields=["province"])
    districts, communes = [], []
    for d, name in enumerate(["Huyện Phong Điền", "Huyện Thới Lai"]):
        district = AdministrativeUnit.objects.create(
            code=f"O9{d}",
            name=name.split(" ", 1)[1],
            full_name=name,
            kind=AdministrativeUnit.Kind.HUYEN,
            level=AdministrativeUnit.Level.DISTRICT,
            era=AdministrativeUnit.Era.OLD,
            parent=old,
            province=old,
            current_province=today,
        )
        districts.append(district)
        for c in range(2):
            communes.append(
                AdministrativeUnit.objects.create(
                    code=f"O9{d}{c}",
                    name=f"Xã {name[-3:]} {c}",
                    full_name=f"Xã {name.split(' ', 1)[1]} {c}",
                    kind=AdministrativeUnit.Kind.XA,
                    level=AdministrativeUnit.Level.COMMUNE,
                    era=AdministrativeUnit.Era.OLD,
                    parent=district,
                    province=old,
                    current_province=today,
                )
            )
    return old, districts, communes


def build_world(n_projects: int = 24, seed: int = 7) -> ReportWorld:
    rng = random.Random(seed)
    province = ProvinceFactory(name="Cần Thơ thử", full_name="Thành phố Cần Thơ thử")
    other = ProvinceFactory(name="Hải Phòng thử", full_name="Thành phố Hải Phòng thử")
    old, districts, communes = _old_map(province)
    sources = [source("kcqg"), source("kcdp"), source("doi-ung"), source("khac")]
    indicators = [indicator("trainees"), indicator("classes"), indicator("management-trainees")]
    agency = AgencyFactory(province=province, name="Sở Công Thương thử Cần Thơ")
    other_agency = AgencyFactory(province=other, name="Sở Công Thương thử Hải Phòng")
    national_agency = AgencyFactory(province=None, name="Cục thử", kind="cuc")
    leader = _user(Role.LEADER, agency, "lanhdao.thu")
    other_officer = _user(Role.OFFICER, other_agency, "canbo.thu.khac")
    ministry = _user(Role.MINISTRY, national_agency, "bo.thu")
    programme = ProgrammeFactory(province=old, start_year=2023, end_year=2025, total_budget=9_000_000_000)
    programme.targets.create(
        indicator=indicators[0], description="Đào tạo 100–200 học viên", min_value=100, max_value=200, order=1
    )
    programme.targets.create(indicator=None, description="Mục tiêu định tính", order=2)
    programme.budgets.create(source=sources[1], amount=6_000_000_000)

    plans = []
    for unit, where in ((old, "own"), (other, "other")):
        local = AnnualPlanFactory(
            province=unit, year=YEAR, kind="kcdp", declared_project_count=11 if where == "own" else None
        )
        national = AnnualPlanFactory(province=unit, year=YEAR, kind="kcqg")
        PlanAllocationFactory(
            plan=local, source=sources[1], amount=1_144_000_000, qualifier=AmountQualifier.OVER
        )
        PlanAllocationFactory(plan=local, source=None, amount=220_000_000)
        PlanAllocationFactory(
            plan=national, source=sources[0], amount=2_500_000_000 + rng.randrange(1, 9) * 1_000_003
        )
        plans += [local, national]
    # An earlier plan of the same province: never part of a 2024 report.
    earlier = AnnualPlanFactory(province=old, year=YEAR - 1, kind="kcdp", programme=programme)
    PlanAllocationFactory(plan=earlier, source=sources[1], amount=777_000_000)

    world = ReportWorld(
        province, other, old, districts, communes, plans, programme, leader, other_officer, ministry
    )
    world.all_plans = plans + [earlier]
    add_projects(world, n_projects, rng)
    return world


def add_projects(world: ReportWorld, n_projects: int, rng: random.Random) -> None:
    """Đề án with money, beneficiaries, outputs and tracking records, spread over the world's plans."""
    sources = [source("kcqg"), source("kcdp"), source("doi-ung"), source("khac")]
    contents = [content(n) for n in range(1, 10)]
    indicators = [indicator("trainees"), indicator("classes"), indicator("management-trainees")]
    kinds = [beneficiary_kind("dn-nho-va-vua"), beneficiary_kind("htx"), beneficiary_kind("ho-kinh-doanh")]
    all_plans, communes, districts, leader = world.all_plans, world.communes, world.districts, world.leader
    old = world.old_province
    for i in range(n_projects):
        plan = all_plans[i % len(all_plans)]
        project = ProjectFactory(
            plan=plan,
            kind=plan.kind,
            status=rng.choice(STATUSES),
            contents=rng.sample(contents, rng.choice([1, 2])),
            settlement_decision_date=datetime.date(YEAR, rng.choice([3, 9, 12]), 15) if i % 5 == 0 else None,
        )
        if plan.province_id == old.pk:
            project.sites.set(rng.sample(communes + districts[:1], rng.choice([1, 2])))
        for _line in range(rng.choice([1, 2, 3])):
            BudgetLineFactory(
                project=project,
                source=rng.choice(sources + [None]),
                content=rng.choice(contents + [None]),
                amount=rng.randrange(1, 500) * 1_000_000
                + rng.randrange(0, 999) * 1000
                + rng.randrange(0, 999),
            )
        for _b in range(rng.choice([0, 1, 2])):
            ProjectBeneficiaryFactory(
                project=project,
                beneficiary=BeneficiaryFactory(
                    province=project.province, kind=rng.choice(kinds), women_owned=rng.random() < 0.4
                ),
                support_amount=rng.randrange(0, 100) * 1_000_000,
                counterpart_amount=rng.randrange(0, 50) * 1_000_000,
                counterpart_committed=rng.random() < 0.7,
            )
        for ind in rng.sample(indicators, rng.choice([0, 1, 2])):
            ProjectOutputFactory(
                project=project,
                indicator=ind,
                planned=rng.randrange(1, 60),
                achieved=rng.choice([None, rng.randrange(0, 60)]),
            )
        src = rng.choice(sources)
        for tranche, month in enumerate(rng.sample(range(1, 13), rng.choice([0, 1, 2])), start=1):
            Advance.objects.create(
                project=project,
                source=src,
                tranche=tranche,
                amount=rng.randrange(1, 90) * 1_000_000 + 7,
                status=rng.choice(
                    [
                        Advance.Status.APPROVED,
                        Advance.Status.APPROVED,
                        Advance.Status.REQUESTED,
                        Advance.Status.REJECTED,
                    ]
                ),
                requested_by=leader,
                decided_by=leader,
                decided_at=_aware(datetime.date(YEAR, month, 10)),
                decision_date=datetime.date(YEAR, month, 10),
            )
        for month in rng.sample(range(1, 13), rng.choice([0, 1, 2, 3])):
            Disbursement.objects.create(
                project=project,
                source=rng.choice(sources),
                amount=rng.randrange(1, 90) * 1_000_000 + 3,
                paid_on=datetime.date(YEAR, month, 20),
                recorded_by=leader,
            )
        if project.settlement_decision_date:
            for s in rng.sample(sources, 2):
                SettlementLine.objects.create(
                    project=project, source=s, amount=rng.randrange(1, 90) * 1_000_000 + 1
                )
        world.projects.append(project)


@pytest.fixture
def world(db) -> ReportWorld:
    return build_world()
