"""Money and period invariants are database constraints, not only form checks."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from programs.models import PlanAllocation, ProgrammeBudget, ProgrammeTarget, SupportCap
from projects.models import BudgetLine, ProjectBeneficiary
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    ProgrammeFactory,
    ProjectFactory,
    content,
    indicator,
    source,
)

pytestmark = pytest.mark.django_db


def assert_rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_negative_budget_line_is_rejected():
    project = ProjectFactory()
    assert_rejected(
        lambda: BudgetLine.objects.create(project=project, source=source(), expense_item="x", amount=-1)
    )


def test_negative_allocation_and_programme_budget_are_rejected():
    plan = AnnualPlanFactory()
    assert_rejected(lambda: PlanAllocation.objects.create(plan=plan, source=source(), amount=-5))
    programme = ProgrammeFactory()
    assert_rejected(lambda: ProgrammeBudget.objects.create(programme=programme, source=source(), amount=-5))


def test_negative_support_is_rejected():
    link = ProjectBeneficiary(project=ProjectFactory(), support_amount=-1)
    from tests.factories import BeneficiaryFactory

    link.beneficiary = BeneficiaryFactory()
    assert_rejected(link.save)


def test_project_cannot_end_before_it_starts():
    assert_rejected(
        lambda: ProjectFactory(start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 4, 30))
    )


def test_programme_period_must_be_ordered():
    assert_rejected(lambda: ProgrammeFactory(start_year=2025, end_year=2022))


def test_target_range_min_must_not_exceed_max():
    programme = ProgrammeFactory()
    ProgrammeTarget.objects.create(
        programme=programme, indicator=indicator(), description="500–1000", min_value=500, max_value=1000
    )
    assert_rejected(
        lambda: ProgrammeTarget.objects.create(
            programme=programme, indicator=indicator(), description="x", min_value=1000, max_value=500
        )
    )


def test_project_code_is_unique():
    ProjectFactory(code="da-trung")
    assert_rejected(lambda: ProjectFactory(code="da-trung"))


def test_one_allocation_per_source_per_plan():
    plan = AnnualPlanFactory()
    PlanAllocation.objects.create(plan=plan, source=source(), amount=1)
    assert_rejected(lambda: PlanAllocation.objects.create(plan=plan, source=source(), amount=2))


def test_support_cap_needs_a_limit_and_a_sane_percentage():
    assert_rejected(lambda: SupportCap.objects.create(content=content(3), item="x", legal_basis="y"))
    assert_rejected(
        lambda: SupportCap.objects.create(content=content(3), item="x", legal_basis="y", percent_of_cost=150)
    )


def test_provincial_cap_needs_a_province():
    assert_rejected(
        lambda: SupportCap.objects.create(
            content=content(3),
            item="x",
            legal_basis="y",
            ceiling=800_000_000,
            scope=SupportCap.Scope.PROVINCE,
        )
    )


def test_budget_line_sum_by_source():
    project = ProjectFactory()
    BudgetLineFactory(project=project, source=source("kcdp"), amount=300)
    BudgetLineFactory(project=project, source=source("doi-ung"), amount=200)
    from django.db.models import Sum

    totals = dict(project.budget_lines.values_list("source__code").annotate(Sum("amount")))
    assert totals == {"kcdp": 300, "doi-ung": 200}
