"""Approval needs appraisal: the rule (sheets, average score) is data, per province with a national default,
shown on the đề án page and checked by project_approve, which refuses with the figures and changes nothing."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from projects.models import AppraisalRule, ProjectStatus
from projects.services import project_approve
from tests.factories import AppraisalFactory, ProjectFactory

from .conftest import ready_project

DAY = datetime.date(2025, 6, 1)


def approve(world, project):
    return project_approve(
        actor=world.user(Role.LEADER), project=project, decision_number="101/QĐ-SCT", decision_date=DAY
    )


def appraising_without_sheets(world):
    project = ready_project(world.own.plan, status=ProjectStatus.DRAFT)
    project.status = ProjectStatus.APPRAISING
    project.save(update_fields=["status"])
    return project


def test_the_national_default_is_data_from_the_procedure(db):
    rule = AppraisalRule.objects.get(province__isnull=True)
    assert (rule.min_sheets, rule.min_average) == (1, None)
    assert "36/2013/TT-BCT" in rule.legal_basis


def test_approval_with_no_sheet_is_refused_with_the_figures_and_changes_nothing(world):
    project = appraising_without_sheets(world)
    audit_rows = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        approve(world, project)
    message = " ".join(refused.value.messages)
    assert "Chưa đủ điều kiện thẩm định để phê duyệt (ít nhất 1 phiếu thẩm định)" in message
    assert "Cần ít nhất 1 phiếu thẩm định, hiện có 0 phiếu." in message
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPRAISING and project.approval_decision_number == ""
    assert not project.transitions.exists() and LogEntry.objects.count() == audit_rows

    AppraisalFactory(project=project)
    approve(world, project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED


def test_a_provinces_own_rule_replaces_the_default_for_its_projects_only(world):
    AppraisalRule.objects.create(province=world.own.unit, min_sheets=2, min_average=70, legal_basis="Quy chế")
    project = appraising_without_sheets(world)
    AppraisalFactory(project=project, score_fit=12, score_necessity=12, score_efficiency=12)  # 68
    AppraisalFactory(project=project, score_fit=10, score_necessity=10, score_efficiency=10)  # 62
    with pytest.raises(ValidationError) as refused:
        approve(world, project)
    message = " ".join(refused.value.messages)
    assert "ít nhất 2 phiếu thẩm định, điểm bình quân từ 70/100" in message
    assert "Điểm bình quân các phiếu là 65,0/100, thấp hơn mức tối thiểu 70/100." in message
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPRAISING

    AppraisalFactory(project=project)  # 80: (68 + 62 + 80) / 3 = 70
    approve(world, project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED

    elsewhere = ready_project(world.other.plan, status=ProjectStatus.APPRAISING)  # one sheet: enough there
    project_approve(
        actor=world.user(Role.LEADER, "other"), project=elsewhere, decision_number="9/QĐ", decision_date=DAY
    )


def test_the_project_page_shows_the_rule_and_what_is_missing(world, client):
    project = appraising_without_sheets(world)
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "Điều kiện để phê duyệt: ít nhất 1 phiếu thẩm định" in page
    assert "Cần ít nhất 1 phiếu thẩm định, hiện có 0 phiếu." in page
    approved = ProjectFactory(plan=world.own.plan, status=ProjectStatus.APPROVED)
    page = client.get(reverse("projects:detail", kwargs={"pk": approved.pk})).content.decode()
    assert "Điều kiện để phê duyệt: ít nhất 1 phiếu thẩm định" in page
    assert "hiện có 0 phiếu" not in page
