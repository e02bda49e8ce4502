"""The annual plan's cycle: built from proposals, submitted, approved with a decision, adjusted as new
versions; reports for a period read the version in force; adjustments never strand approved đề án."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from planning.models import PlanVersion, VersionStatus
from planning.selectors import version_diff
from planning.services import (
    plan_adjustment_propose,
    plan_build_from_proposals,
    plan_create,
    plan_version_approve,
    plan_version_return,
    plan_version_submit,
)
from programs.models import FundingSource, PlanAllocation
from reports.periods import Period
from reports.selectors.annual import annual_report
from reports.selectors.blocks import allocation_sums, declared_allocations, declared_reads, province_plans
from tests.factories import content, source
from tests.projects.conftest import ready_project

pytestmark = pytest.mark.django_db

KCDP = ("kcdp",)


def _money(amount, number=1):
    return {(source("kcdp").pk, content(number).pk): amount}


@pytest.fixture
def next_year(world):
    # As in the reference data: the two khuyến công budgets are state money the plan allocates.
    for code in ("kcdp", "kcqg"):
        FundingSource.objects.filter(pk=source(code).pk).update(is_state_budget=True)
    officer = world.user(Role.OFFICER)
    plan = plan_create(
        actor=officer, year=2026, kind="kcdp", name="Kế hoạch 2026", expected_allocation=500_000_000
    )
    proposals = [
        ready_project(plan, amount=a, status="submitted") for a in (200_000_000, 150_000_000, 400_000_000)
    ]
    return plan, proposals


def _approve(world, version, day=datetime.date(2026, 1, 10), number="05/QĐ-UBND"):
    return plan_version_approve(
        actor=world.user(Role.LEADER), version=version, decision_number=number, decision_date=day
    )


def test_a_plan_is_built_from_proposals_submitted_and_approved(world, next_year):
    plan, proposals = next_year
    officer = world.user(Role.OFFICER)
    version = plan_build_from_proposals(
        actor=officer, plan=plan, projects=proposals[:2], expected_allocation=500_000_000
    )
    assert {(line.source.code, line.content.number, line.amount) for line in version.lines.all()} == {
        ("kcdp", 1, 350_000_000)
    }
    plan_version_submit(actor=officer, version=version)
    with pytest.raises(PermissionDenied):
        _approve(type("W", (), {"user": lambda self, r: officer})(), version)
    _approve(world, version)
    version.refresh_from_db()
    plan.refresh_from_db()
    assert version.status == VersionStatus.APPROVED and plan.decision_number == "05/QĐ-UBND"
    assert dict(plan.allocations.values_list("source__code", "amount")) == {"kcdp": 350_000_000}
    assert [(t.from_status, t.to_status) for t in version.transitions.all()] == [
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]


def test_another_province_cannot_build_submit_or_approve(world, next_year):
    plan, proposals = next_year
    with pytest.raises(PermissionDenied):
        plan_build_from_proposals(
            actor=world.user(Role.OFFICER, "other"), plan=plan, projects=proposals, expected_allocation=None
        )
    version = plan_build_from_proposals(
        actor=world.user(Role.OFFICER), plan=plan, projects=proposals, expected_allocation=None
    )
    with pytest.raises(PermissionDenied):
        plan_version_submit(actor=world.user(Role.OFFICER, "other"), version=version)
    plan_version_submit(actor=world.user(Role.OFFICER), version=version)
    with pytest.raises(PermissionDenied):
        plan_version_approve(
            actor=world.user(Role.LEADER, "other"),
            version=version,
            decision_number="1",
            decision_date=datetime.date(2026, 1, 1),
        )


def test_an_empty_plan_cannot_be_submitted_and_a_returned_one_goes_back_to_draft(world, next_year):
    plan, proposals = next_year
    version = plan.versions.get()
    with pytest.raises(ValidationError, match="chưa có kinh phí"):
        plan_version_submit(actor=world.user(Role.OFFICER), version=version)
    plan_build_from_proposals(
        actor=world.user(Role.OFFICER), plan=plan, projects=proposals, expected_allocation=None
    )
    plan_version_submit(actor=world.user(Role.OFFICER), version=version)
    with pytest.raises(ValidationError):
        plan_version_return(actor=world.user(Role.LEADER), version=version, comment=" ")
    plan_version_return(actor=world.user(Role.LEADER), version=version, comment="Giảm đề án 3")
    assert PlanVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


@pytest.fixture
def approved_plan(world, next_year):
    plan, proposals = next_year
    officer = world.user(Role.OFFICER)
    version = plan_build_from_proposals(
        actor=officer, plan=plan, projects=proposals[:2], expected_allocation=None
    )
    plan_version_submit(actor=officer, version=version)
    _approve(world, version)
    # The first proposal is approved and holds its 200 million.
    first = proposals[0]
    first.status = "approved"
    first.save()
    return plan, proposals


def test_an_adjustment_that_would_strand_approved_projects_is_refused_with_the_figures(world, approved_plan):
    plan, _proposals = approved_plan
    with pytest.raises(ValidationError) as refused:
        plan_adjustment_propose(
            actor=world.user(Role.OFFICER), plan=plan, reason="Cắt giảm", money=_money(120_000_000)
        )
    text = " ".join(refused.value.messages)
    assert "200.000.000 đồng" in text and "120.000.000 đồng" in text and "thiếu 80.000.000 đồng" in text
    assert plan.versions.count() == 1  # nothing was opened
    assert PlanAllocation.objects.get(plan=plan).amount == 350_000_000


def test_an_adjustment_is_a_new_version_with_reason_decision_and_diff(world, approved_plan):
    plan, _proposals = approved_plan
    officer = world.user(Role.OFFICER)
    money = {**_money(250_000_000), **_money(90_000_000, 4)}
    version = plan_adjustment_propose(actor=officer, plan=plan, reason="Bổ sung nội dung 4", money=money)
    assert version.number == 2 and version.reason == "Bổ sung nội dung 4"
    plan_version_submit(actor=officer, version=version)
    with pytest.raises(ValidationError):
        _approve(world, version, day=datetime.date(2026, 1, 1))  # before the version in force
    _approve(world, version, day=datetime.date(2026, 7, 15), number="88/QĐ-UBND")
    assert PlanAllocation.objects.get(plan=plan).amount == 340_000_000
    rows, totals = version_diff(PlanVersion.objects.get(pk=version.pk))
    assert [(r.content.number, r.before, r.after, r.change) for r in rows] == [
        (1, 350_000_000, 250_000_000, -100_000_000),
        (4, 0, 90_000_000, 90_000_000),
    ]
    assert [(t.source.code, t.before, t.after) for t in totals] == [("kcdp", 350_000_000, 340_000_000)]


def test_reports_for_a_period_use_the_version_in_force(world, approved_plan):
    plan, _proposals = approved_plan
    officer = world.user(Role.OFFICER)
    version = plan_adjustment_propose(actor=officer, plan=plan, reason="Tăng", money=_money(600_000_000))
    plan_version_submit(actor=officer, version=version)
    _approve(world, version, day=datetime.date(2026, 7, 15), number="88/QĐ-UBND")

    def allocated(period):
        report = annual_report(province=world.own.unit, period=period)
        row = next(r for r in report.by_source if r.short_name and r.source_id == source("kcdp").pk)
        declared = next(p for p in report.declared_plans if p.name == "Kế hoạch 2026")
        return row.allocated, declared.decision, [a.amount for a in declared.allocations]

    assert allocated(Period(2026, quarter=2)) == (
        350_000_000,
        "05/QĐ-UBND 10/01/2026 (Kế hoạch ban đầu)",
        [350_000_000],
    )
    assert allocated(Period(2026, quarter=3))[0] == 600_000_000
    assert "88/QĐ-UBND" in allocated(Period(2026))[1]
    # Before the first decision the plan had no money in force.
    plan_2026_q = Period(2026, quarter=1)
    assert allocated(plan_2026_q)[0] == 350_000_000  # decided 10/01, inside the first quarter


def test_the_reports_allocated_money_is_the_allocation_sums_summed_from_the_declared_plans(
    world, approved_plan
):
    # The province report sums the allocated money by source from the rows it reads for the declared plans:
    # the same sums as the allocations read on their own, for a plan kept as versions (adjusted mid-year)
    # and one that keeps its allocations as entered (one stated loosely).
    plan, _proposals = approved_plan
    officer = world.user(Role.OFFICER)
    version = plan_adjustment_propose(actor=officer, plan=plan, reason="Tăng", money=_money(600_000_000))
    plan_version_submit(actor=officer, version=version)
    _approve(world, version, day=datetime.date(2026, 7, 15), number="88/QĐ-UBND")
    entered = plan_create(
        actor=officer, year=2026, kind="kcqg", name="Kế hoạch KCQG 2026", expected_allocation=None
    )
    PlanAllocation.objects.create(plan=entered, source=source("kcqg"), amount=70_000_000, qualifier="over")
    PlanAllocation.objects.create(plan=entered, source=source("kcdp"), amount=30_000_000)
    plans = province_plans(world.own.unit, 2026)
    for period in (Period(2026, quarter=1), Period(2026, quarter=3), Period(2026)):
        rows = {name: list(qs) for name, qs in declared_reads(plans, on=period.end).items()}
        assert declared_allocations(rows) == allocation_sums(plans, ("source",), on=period.end)
    assert declared_allocations(rows) == {
        (source("kcdp").pk,): (630_000_000, 0),
        (source("kcqg").pk,): (70_000_000, 1),
    }


def test_plans_without_versions_keep_their_allocations_in_reports(world):
    report = annual_report(province=world.own.unit, period=Period(2025, quarter=1))
    row = next(r for r in report.by_source if r.source_id == source("kcdp").pk)
    assert row.allocated == 1_000_000_000


# ---- pages


def test_plan_pages_answer_own_province_404_for_another_and_login_for_anonymous(client, world, next_year):
    plan, _proposals = next_year
    urls = [reverse(f"planning:{name}", kwargs={"pk": plan.pk}) for name in ("cycle", "build")]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(world.user(Role.OFFICER))
    for url in urls:
        assert client.get(url).status_code == 200
    assert client.get(reverse("planning:create")).status_code == 200
    client.force_login(world.user(Role.OFFICER, "other"))
    for url in [*urls, reverse("planning:adjust", kwargs={"pk": plan.pk})]:
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("planning:step", kwargs={"pk": plan.pk, "action": "submit"})).status_code == 404
    )
    client.force_login(world.user(Role.APPRAISER))
    assert client.get(reverse("planning:build", kwargs={"pk": plan.pk})).status_code == 403
    assert client.get(reverse("planning:create")).status_code == 403


def test_the_running_total_follows_the_ticks(client, world, next_year):
    plan, proposals = next_year
    client.force_login(world.user(Role.OFFICER))
    url = reverse("planning:build", kwargs={"pk": plan.pk})
    response = client.post(
        url,
        {"projects": [proposals[0].pk, proposals[2].pk], "expected_allocation": "500.000.000"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "600.000.000" in body and "Vượt mức dự kiến" in body and "100.000.000" in body
    client.post(url, {"projects": [proposals[0].pk], "expected_allocation": "500.000.000"})
    assert [p.pk for p in plan.versions.get().projects.all()] == [proposals[0].pk]


def test_the_adjust_page_shows_the_refusal_with_figures_and_keeps_what_was_typed(
    client, world, approved_plan
):
    plan, _proposals = approved_plan
    client.force_login(world.user(Role.OFFICER))
    key = f"m_{source('kcdp').pk}_{content(1).pk}"
    response = client.post(
        reverse("planning:adjust", kwargs={"pk": plan.pk}), {"reason": "Giảm", key: "100.000.000"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "thiếu 100.000.000 đồng" in body and 'value="100.000.000"' in body
    assert plan.versions.count() == 1


def test_leadership_approves_through_the_page(client, world, next_year):
    plan, proposals = next_year
    officer, leader = world.user(Role.OFFICER), world.user(Role.LEADER)
    client.force_login(officer)
    client.post(reverse("planning:build", kwargs={"pk": plan.pk}), {"projects": [proposals[1].pk]})
    client.post(reverse("planning:step", kwargs={"pk": plan.pk, "action": "submit"}))
    assert (
        client.post(reverse("planning:step", kwargs={"pk": plan.pk, "action": "approve"})).status_code == 403
    )
    client.force_login(leader)
    bad = client.post(
        reverse("planning:step", kwargs={"pk": plan.pk, "action": "approve"}), {"decision_number": ""}
    )
    assert bad.status_code == 400
    client.post(
        reverse("planning:step", kwargs={"pk": plan.pk, "action": "approve"}),
        {"decision_number": "12/QĐ-UBND", "decision_date": "2026-01-05"},
    )
    assert plan.versions.get().status == VersionStatus.APPROVED


def test_an_adjustment_is_checked_again_when_approved(world, approved_plan):
    plan, proposals = approved_plan
    officer = world.user(Role.OFFICER)
    version = plan_adjustment_propose(actor=officer, plan=plan, reason="Giảm", money=_money(250_000_000))
    plan_version_submit(actor=officer, version=version)
    # Meanwhile the second proposal is approved too: approved đề án now hold 350 million.
    second = proposals[1]
    second.status = "approved"
    second.save()
    with pytest.raises(ValidationError, match="thiếu 100.000.000 đồng"):
        _approve(world, version, day=datetime.date(2026, 7, 1))
    assert PlanVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    assert PlanAllocation.objects.get(plan=plan).amount == 350_000_000
