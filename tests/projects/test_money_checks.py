"""Money checks at approval and adjustment: plan allocation per source, support caps, double support."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from programs.models import SupportCap
from projects.models import BudgetLine, Disbursement, ProjectStatus
from projects.services import (
    DoubleSupportWarning,
    project_approve,
    project_approve_adjustment,
    project_stop,
)
from tests.factories import BudgetLineFactory, ProjectBeneficiaryFactory, content, source

from .conftest import project_in, ready_project

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def approve(world, project, **kwargs):
    return project_approve(
        actor=world.user(Role.LEADER), project=project, decision_number="1/QĐ", decision_date=DAY, **kwargs
    )


def appraising(world, amount, **kwargs):
    return ready_project(world.own.plan, amount=amount, status=ProjectStatus.APPRAISING, **kwargs)


def test_approvals_fit_the_plan_allocation_and_the_one_too_many_names_source_and_remaining(world):
    approve(world, appraising(world, 700_000_000))
    second = appraising(world, 400_000_000)
    with pytest.raises(ValidationError) as error:
        approve(world, second)
    message = " ".join(error.value.messages)
    assert "Khuyến công địa phương" in message and "300.000.000 đồng" in message
    second.refresh_from_db()
    assert second.status == ProjectStatus.APPRAISING and not second.transitions.exists()
    approve(world, appraising(world, 300_000_000))  # exactly what remains


def test_other_plans_and_unapproved_projects_do_not_use_the_allocation(world):
    appraising(world, 900_000_000)  # not approved: holds nothing
    project_in(world.other.plan, ProjectStatus.APPROVED, amount=900_000_000)  # another plan
    approve(world, appraising(world, 1_000_000_000))


def test_a_stopped_project_releases_all_but_what_it_disbursed(world):
    stopped = project_in(world.own.plan, ProjectStatus.IN_PROGRESS, amount=800_000_000)
    Disbursement.objects.create(
        project=stopped, source=source("kcdp"), amount=100_000_000, paid_on=DAY, recorded_by=world.admin
    )
    project_stop(actor=world.user(Role.LEADER), project=stopped, comment="Dừng")
    with pytest.raises(ValidationError):
        approve(world, appraising(world, 950_000_000))
    approve(world, appraising(world, 900_000_000))


def test_a_state_source_the_plan_does_not_allocate_is_refused_but_counterpart_needs_no_allocation(world):
    project = appraising(world, 100_000_000)
    BudgetLineFactory(project=project, source=source("doi-ung"), amount=50_000_000)
    approve(world, project)
    national = appraising(world, 10_000_000)
    kcqg = source("kcqg")
    kcqg.is_state_budget = True
    kcqg.save()
    BudgetLine.objects.filter(project=national).update(source=kcqg)
    with pytest.raises(ValidationError, match="chỉ còn 0 đồng"):
        approve(world, national)


def demo_model_project(world, *, state: int, counterpart: int):
    project = appraising(world, 0)
    project.budget_lines.all().delete()
    project.contents.set([content(3)])
    kcdp = source("kcdp")
    kcdp.is_state_budget = True
    kcdp.save()
    BudgetLineFactory(project=project, source=kcdp, content=content(3), amount=state)
    BudgetLineFactory(project=project, source=source("doi-ung"), content=content(3), amount=counterpart)
    return project


def national_cap(**kwargs):
    return SupportCap.objects.create(
        content=content(3),
        item="Xây dựng mô hình trình diễn kỹ thuật",
        percent_of_cost=30,
        ceiling=1_000_000_000,
        unit_of_ceiling="mô hình",
        legal_basis="Thông tư 28/2018/TT-BTC",
        **kwargs,
    )


def test_support_above_the_share_of_cost_is_blocked_naming_the_cap_and_its_legal_basis(world):
    national_cap()
    project = demo_model_project(world, state=400_000_000, counterpart=600_000_000)
    with pytest.raises(ValidationError) as error:
        approve(world, project)
    message = " ".join(error.value.messages)
    assert "30%" in message and "Xây dựng mô hình trình diễn kỹ thuật" in message
    assert "Thông tư 28/2018/TT-BTC" in message
    approve(world, demo_model_project(world, state=300_000_000, counterpart=700_000_000))


def test_the_provinces_own_cap_replaces_the_national_one_for_that_province_only(world):
    national_cap()
    SupportCap.objects.create(
        content=content(3),
        item="Mô hình trình diễn (mức của tỉnh)",
        scope=SupportCap.Scope.PROVINCE,
        province=world.own.unit,
        percent_of_cost=30,
        ceiling=800_000_000,
        legal_basis="Nghị quyết HĐND tỉnh 2025",
    )
    world.own.plan.allocations.update(amount=5_000_000_000)
    project = demo_model_project(world, state=900_000_000, counterpart=2_100_000_000)
    with pytest.raises(ValidationError, match="Nghị quyết HĐND tỉnh 2025"):
        approve(world, project)


def test_a_cap_out_of_force_on_the_decision_date_does_not_apply(world):
    national_cap(valid_to=datetime.date(2024, 12, 31))
    approve(world, demo_model_project(world, state=400_000_000, counterpart=600_000_000))


def test_double_support_must_be_acknowledged_and_is_kept_in_the_audit_row(world):
    first = project_in(world.own.plan, ProjectStatus.APPROVED, code="da-truoc")
    beneficiary = first.beneficiary_links.get().beneficiary
    second = appraising(world, 100_000_000)
    ProjectBeneficiaryFactory(project=second, beneficiary=beneficiary)
    with pytest.raises(DoubleSupportWarning) as warning:
        approve(world, second)
    assert "da-truoc" in warning.value.warnings[0] and beneficiary.name in warning.value.warnings[0]
    second.refresh_from_db()
    assert second.status == ProjectStatus.APPRAISING
    transition = approve(world, second, acknowledge_double_support=True)
    assert "da-truoc" in transition.acknowledged_warnings


def test_no_double_support_warning_for_a_period_that_does_not_overlap(world):
    first = project_in(world.own.plan, ProjectStatus.APPROVED, start_date=datetime.date(2025, 1, 1))
    first.end_date = datetime.date(2025, 2, 28)
    first.save()
    second = appraising(world, 100_000_000)  # 01/03–30/11
    ProjectBeneficiaryFactory(project=second, beneficiary=first.beneficiary_links.get().beneficiary)
    approve(world, second)


def test_adjustment_is_checked_against_the_allocation_again(world):
    project = project_in(world.own.plan, ProjectStatus.ADJUSTING, amount=500_000_000)
    BudgetLineFactory(project=project, source=source("kcdp"), amount=600_000_000)
    with pytest.raises(ValidationError, match="chỉ còn"):
        project_approve_adjustment(
            actor=world.user(Role.LEADER), project=project, decision_number="2/QĐ", decision_date=DAY
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.ADJUSTING


def test_adjustment_cannot_fall_below_what_was_disbursed(world):
    project = project_in(world.own.plan, ProjectStatus.ADJUSTING, amount=500_000_000)
    Disbursement.objects.create(
        project=project, source=source("kcdp"), amount=200_000_000, paid_on=DAY, recorded_by=world.admin
    )
    project.budget_lines.update(amount=100_000_000)
    with pytest.raises(ValidationError, match="thấp hơn số đã giải ngân"):
        project_approve_adjustment(
            actor=world.user(Role.LEADER), project=project, decision_number="2/QĐ", decision_date=DAY
        )
