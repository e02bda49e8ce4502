"""After approval: appraisal sheets, monthly reports and overdue months, advances by rule, disbursements,
outputs, settlement, and the money summary derived from them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from projects.forms.steps import AcceptanceForm, AdvanceDecideForm, DisbursementForm, ProgressReportForm
from projects.models import Advance, Appraisal, ProgressReport, Project, ProjectStatus
from projects.selectors import appraisal_summary, next_report_month, overdue_months, project_money
from projects.services import (
    advance_decide,
    advance_request,
    appraisal_submit,
    disbursement_record,
    outputs_record,
    progress_report_submit,
    project_settle,
)
from tests.factories import content, indicator, source

from .conftest import make_user, project_in

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 10)
SCORES = dict(score_fit=18, score_necessity=16, score_efficiency=15, score_budget=14, score_capacity=17)


def test_each_appraiser_sends_one_sheet_and_leadership_sees_the_average(world):
    project = project_in(world.own.plan, ProjectStatus.APPRAISING)
    Appraisal.objects.filter(project=project).delete()  # the ready-made sheet; these tests count their own
    first = world.user(Role.APPRAISER)
    second = make_user(Role.APPRAISER, first.staff_profile.agency, "thamdinh2")
    appraisal_submit(actor=first, project=project, recommendation="approve", **SCORES)
    appraisal_submit(actor=first, project=project, recommendation="revise", **{**SCORES, "score_fit": 10})
    appraisal_submit(actor=second, project=project, recommendation="approve", **SCORES)
    assert Appraisal.objects.filter(project=project).count() == 2
    summary = appraisal_summary(project)
    assert summary["average"] == (72 + 80) / 2
    assert summary["recommendations"] == {"revise": 1, "approve": 1}


def test_a_score_above_the_criterion_maximum_is_refused(world):
    project = project_in(world.own.plan, ProjectStatus.APPRAISING)
    Appraisal.objects.filter(project=project).delete()  # the ready-made sheet; these tests count their own
    with pytest.raises(ValidationError):
        appraisal_submit(
            actor=world.user(Role.APPRAISER),
            project=project,
            recommendation="approve",
            **{**SCORES, "score_fit": 21},
        )
    assert not Appraisal.objects.exists()


def test_appraisal_only_while_under_appraisal(world):
    project = project_in(world.own.plan, ProjectStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Chấm phiếu thẩm định"):
        appraisal_submit(
            actor=world.user(Role.APPRAISER), project=project, recommendation="approve", **SCORES
        )


def report(world, project, month, percent=20):
    return progress_report_submit(
        actor=world.user(Role.CENTRE),
        project=project,
        month=month,
        percent_complete=percent,
        summary="Đã tổ chức 1 lớp",
        today=datetime.date(2025, 12, 31),
    )


def test_months_without_report_after_the_25th_are_overdue(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)  # 01/03/2025–30/11/2025
    report(world, project, datetime.date(2025, 3, 1))
    report(world, project, datetime.date(2025, 4, 15))
    assert ProgressReport.objects.get(
        project=project, month=datetime.date(2025, 4, 1)
    ).due_on == datetime.date(2025, 4, 25)
    assert overdue_months(project, today=datetime.date(2025, 6, 25)) == [datetime.date(2025, 5, 1)]
    assert overdue_months(project, today=datetime.date(2025, 6, 26)) == [
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
    ]
    # Nothing is due after the planned end, nor once the đề án is accepted.
    assert overdue_months(project, today=datetime.date(2026, 6, 1))[-1] == datetime.date(2025, 11, 1)


def test_a_month_is_reported_once_and_never_in_advance(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    report(world, project, datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="đã có báo cáo"):
        report(world, project, datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="chưa đến"):
        report(world, project, datetime.date(2026, 1, 1))


def test_a_month_outside_the_period_is_refused_in_vietnamese_and_nothing_is_stored(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)  # 01/03/2025–30/11/2025
    for month in (datetime.date(2025, 12, 1), datetime.date(2025, 2, 1)):
        with pytest.raises(ValidationError, match="nằm ngoài thời gian thực hiện đề án"):
            report(world, project, month)
    assert not ProgressReport.objects.filter(project=project).exists()


def test_the_report_month_defaults_to_the_earliest_month_still_due(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)  # 01/03/2025–30/11/2025
    assert next_report_month(project, today=datetime.date(2025, 6, 10)) == datetime.date(2025, 3, 1)
    report(world, project, datetime.date(2025, 3, 1))
    report(world, project, datetime.date(2025, 5, 1))
    assert next_report_month(project, today=datetime.date(2025, 6, 10)) == datetime.date(2025, 4, 1)
    for month in range(4, 12):
        if month != 5:
            report(world, project, datetime.date(2025, month, 1))
    # Every month reported: the last month of the period, never a month after it.
    assert next_report_month(project, today=datetime.date(2026, 12, 7)) == datetime.date(2025, 11, 1)
    form = ProgressReportForm(project=project, user=world.user(Role.CENTRE))
    assert form.initial["month"] == datetime.date(2025, 11, 1)


def ask(world, project, amount):
    return advance_request(
        actor=world.user(Role.CENTRE), project=project, source=source("kcdp"), amount=amount
    )


def test_an_advance_decided_on_paper_in_2025_and_entered_now_counts_in_2025(world, advance_rules, client):
    from reports.money_moves import by_source
    from reports.periods import Period

    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS, amount=100_000_000)
    advance = ask(world, project, 30_000_000)
    leader = world.user(Role.LEADER)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="không được sau hôm nay"):
        advance_decide(actor=leader, advance=advance, approve=True, decision_date=tomorrow)
    client.force_login(leader)
    response = client.post(
        reverse("projects:step", args=[project.pk, "decide_advance"]),
        {
            "decide_advance-advance": advance.pk,
            "decide_advance-decision": "approve",
            "decide_advance-decision_date": "20/12/2025",
        },
    )
    assert response.status_code == 302
    advance.refresh_from_db()
    assert advance.decision_date == datetime.date(2025, 12, 20)
    assert advance.decided_at.date() == timezone.now().date()
    scope = Project.objects.filter(pk=project.pk)
    assert by_source(scope, Period(2025)).advanced == {source("kcdp").pk: 30_000_000}
    assert by_source(scope, Period(2025, quarter=3)).advanced == {}


def test_decision_and_payment_dates_start_at_today(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    user = world.user(Role.CENTRE)
    today = timezone.localdate()
    assert DisbursementForm(project=project, user=user).initial["paid_on"] == today
    assert AcceptanceForm(project=project, user=user).initial["minutes_date"] == today
    assert AdvanceDecideForm(project=project, user=user).initial["decision_date"] == today


def test_advances_follow_the_rules_30_then_70_percent_after_half_the_work(world, advance_rules):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS, amount=100_000_000)
    first = ask(world, project, 30_000_000)
    assert first.tranche == 1 and first.rule.percentage == 30
    with pytest.raises(ValidationError) as error:
        ask(world, project, 1)
    assert "30%" in " ".join(error.value.messages) and "Thông tư 36/2013/TT-BCT" in " ".join(
        error.value.messages
    )
    report(world, project, datetime.date(2025, 5, 1), percent=50)
    second = ask(world, project, 40_000_000)
    assert second.tranche == 2 and second.rule.percentage == 70
    with pytest.raises(ValidationError, match="70%"):
        ask(world, project, 1)


def test_a_fair_may_be_advanced_in_full(world, advance_rules):
    project = project_in(world.own.plan, ProjectStatus.CONTRACTED, amount=100_000_000)
    project.contents.set([content(4)])
    assert ask(world, project, 100_000_000).rule.percentage == 100


def test_the_leader_decides_an_advance_once_and_the_centre_cannot(world, advance_rules):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    advance = ask(world, project, 10_000_000)
    with pytest.raises(PermissionDenied):
        advance_decide(actor=world.user(Role.CENTRE), advance=advance, approve=True)
    advance_decide(actor=world.user(Role.LEADER), advance=advance, approve=True)
    assert advance.status == Advance.Status.APPROVED and advance.decided_by == world.user(Role.LEADER)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        advance_decide(actor=world.user(Role.LEADER), advance=advance, approve=False)


def pay(world, project, amount):
    return disbursement_record(
        actor=world.user(Role.CENTRE), project=project, source=source("kcdp"), amount=amount, paid_on=DAY
    )


def test_before_acceptance_only_granted_advances_are_paid_and_never_more_than_approved(world, advance_rules):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS, amount=100_000_000)
    with pytest.raises(ValidationError, match="tạm ứng đã duyệt"):
        pay(world, project, 1)
    advance_decide(actor=world.user(Role.LEADER), advance=ask(world, project, 30_000_000), approve=True)
    pay(world, project, 30_000_000)
    with pytest.raises(ValidationError):
        pay(world, project, 1)
    accepted = project_in(world.own.plan, ProjectStatus.ACCEPTED, amount=100_000_000)
    pay(world, accepted, 100_000_000)
    with pytest.raises(ValidationError, match="vượt kinh phí được duyệt"):
        pay(world, accepted, 1)


def test_outputs_are_recorded_per_indicator(world):
    project = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    outputs_record(
        actor=world.user(Role.CENTRE), project=project, achieved={indicator(): 28, indicator("classes"): 1}
    )
    assert dict(project.outputs.values_list("indicator__code", "achieved")) == {"trainees": 28, "classes": 1}
    with pytest.raises(ValidationError):
        outputs_record(actor=world.user(Role.CENTRE), project=project, achieved={indicator(): -1})


def test_settlement_by_source_and_money_summary_are_derived(world, advance_rules):
    project = project_in(world.own.plan, ProjectStatus.CLOSED, amount=100_000_000)
    pay(world, project, 90_000_000)
    with pytest.raises(ValidationError, match="vượt kinh phí được duyệt"):
        kcdp = source("kcdp")
        kcdp.is_state_budget = True
        kcdp.save()
        project_settle(
            actor=world.user(Role.LEADER),
            project=project,
            amounts={kcdp: 100_000_001},
            decision_number="9/QĐ",
            decision_date=DAY,
        )
    project_settle(
        actor=world.user(Role.LEADER),
        project=project,
        amounts={source("kcdp"): 90_000_000, source("doi-ung"): 20_000_000},
        decision_number="9/QĐ",
        decision_date=DAY,
    )
    money = project_money(project)
    row = next(r for r in money.rows if r.source.code == "kcdp")
    assert (row.approved, row.disbursed, row.settled, row.remaining_to_disburse) == (
        100_000_000,
        90_000_000,
        90_000_000,
        10_000_000,
    )
    assert money.total.settled == 110_000_000 and project.settlement_decision_number == "9/QĐ"


def test_a_record_on_another_provinces_project_is_refused(world):
    project = project_in(world.other.plan, ProjectStatus.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        report(world, project, datetime.date(2025, 3, 1))
