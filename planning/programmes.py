"""Programmes as staff work: a province's officers enter and edit a programme (decision, period, budget by
source and year, targets tied to indicators, solution groups); leadership approves it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from accounts.scoping import user_province_id
from programs.models import Programme, ProgrammeBudget, ProgrammeTarget, SolutionGroup

from .models import ProgrammeApproval, ProgrammeStatus, ProgrammeYearBudget


def can_edit_programme(user, programme: Programme | None) -> bool:
    """Officers and the centre edit their province's local programmes until leadership approves them."""
    if not has_role(user, Role.OFFICER, Role.CENTRE) or user_province_id(user) is None:
        return False
    if programme is None:
        return True
    if programme.province_id is None or programme.province.today_province().pk != user_province_id(user):
        return False
    approval = getattr(programme, "approval", None)
    return approval is None or approval.status == ProgrammeStatus.DRAFT


def can_approve_programme(user, programme: Programme) -> bool:
    approval = getattr(programme, "approval", None)
    return (
        has_role(user, Role.LEADER)
        and approval is not None
        and approval.status == ProgrammeStatus.DRAFT
        and programme.province_id is not None
        and programme.province.today_province().pk == user_province_id(user)
    )


@transaction.atomic
def programme_save(
    *,
    actor,
    programme: Programme | None,
    data: dict[str, Any],
    year_budgets: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    groups: list[dict[str, Any]],
) -> Programme:
    """Create or edit a local programme with its budget by source and year (the totals by source follow),
    its targets and its solution groups; all or nothing. A new programme waits for leadership's approval."""
    if programme is not None:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not can_edit_programme(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền sửa chương trình này."))
    created = programme is None
    if created:
        programme = Programme(level=Programme.Level.LOCAL, province_id=user_province_id(actor))
        agency = getattr(getattr(actor, "staff_profile", None), "agency", None)
        programme.owner = agency
    for field, value in data.items():
        setattr(programme, field, value)
    programme.full_clean()
    programme.save()

    errors = []
    for row in year_budgets:
        if not programme.start_year <= row["year"] <= programme.end_year:
            errors.append(
                _("Năm %(year)s nằm ngoài giai đoạn %(start)s–%(end)s của chương trình.")
                % {"year": row["year"], "start": programme.start_year, "end": programme.end_year}
            )
    keys = [(row["source"].pk, row["year"]) for row in year_budgets]
    if len(keys) != len(set(keys)):
        errors.append(_("Mỗi nguồn chỉ ghi một dòng cho mỗi năm."))
    if errors:
        raise ValidationError(errors)

    programme.year_budgets.all().delete()
    for row in year_budgets:
        ProgrammeYearBudget.objects.create(programme=programme, **row)
    if year_budgets:
        totals: dict = {}
        for row in year_budgets:
            totals[row["source"]] = totals.get(row["source"], 0) + row["amount"]
        programme.budgets.exclude(source__in=list(totals)).delete()
        for source, amount in totals.items():
            ProgrammeBudget.objects.update_or_create(
                programme=programme, source=source, defaults={"amount": amount}
            )

    programme.targets.all().delete()
    for order, row in enumerate(targets, start=1):
        target = ProgrammeTarget(programme=programme, order=order, **row)
        target.full_clean()
        target.save()
    programme.solution_groups.all().delete()
    for order, row in enumerate(groups, start=1):
        group = SolutionGroup(programme=programme, order=order, **row)
        group.full_clean()
        group.save()
    if created:
        ProgrammeApproval.objects.create(programme=programme, created_by=actor)
    return programme


@transaction.atomic
def programme_approve(*, actor, programme: Programme) -> Programme:
    """Leadership approves a programme entered by staff; it is no longer edited on the staff pages."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not can_approve_programme(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền duyệt chương trình này."))
    approval = programme.approval
    approval.status = ProgrammeStatus.APPROVED
    approval.approved_by = actor
    approval.approved_at = timezone.now()
    approval.save()
    return programme
