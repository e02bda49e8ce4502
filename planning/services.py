"""Writes about annual plans: create next year's plan, build its money from proposals, submit it to the
UBND, record the approval decision, and adjust it during the year as new versions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import user_province_id
from khuyencong.money import format_dong
from places.models import AdministrativeUnit
from programs.models import AnnualPlan, FundingSource, PlanAllocation
from projects.models import Project
from projects.services.checks import plan_committed_by_source

from .models import PlanVersion, PlanVersionLine, PlanVersionTransition, VersionStatus
from .permissions import can_approve_plan, can_create_plan, can_prepare_plan
from .selectors import (
    PROPOSAL_EXCLUDED,
    by_source,
    current_version,
    money_of_projects,
    open_version,
    version_money,
)

Money = dict[tuple[int, int | None], int]


def _move(actor, version: PlanVersion, status: str, comment: str = "") -> None:
    from_status = version.status
    version.transition_to(status)
    version.save()
    PlanVersionTransition.objects.create(
        version=version, actor=actor, from_status=from_status, to_status=status, comment=comment
    )


def _lock_plan(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update().get(pk=plan.pk)


def _set_lines(version: PlanVersion, money: Money) -> None:
    version.lines.all().delete()
    PlanVersionLine.objects.bulk_create(
        PlanVersionLine(version=version, source_id=s, content_id=c, amount=amount)
        for (s, c), amount in sorted(money.items(), key=lambda i: (i[0][0], i[0][1] or 0))
        if amount
    )


def shortfall_errors(plan: AnnualPlan, money: Money) -> list[str]:
    """Per source, the money a version would give against what approved đề án already hold."""
    held = plan_committed_by_source(plan)
    totals = by_source(money)
    sources = FundingSource.objects.in_bulk(held)
    errors = []
    for source_id, amount in sorted(held.items()):
        source = sources[source_id]
        if not source.is_state_budget or amount <= totals.get(source_id, 0):
            continue
        errors.append(
            _(
                "Nguồn «%(source)s»: các đề án đã phê duyệt đang dùng %(held)s, kế hoạch điều chỉnh chỉ còn "
                "%(left)s (thiếu %(short)s)."
            )
            % {
                "source": source.name,
                "held": format_dong(amount, unit=True),
                "left": format_dong(totals.get(source_id, 0), unit=True),
                "short": format_dong(amount - totals.get(source_id, 0), unit=True),
            }
        )
    return errors


@transaction.atomic
def plan_create(
    *, actor, year: int, kind: str, name: str, expected_allocation: int | None, programme=None
) -> AnnualPlan:
    """Open a province's plan for a year with an empty draft version (the plan to build from proposals)."""
    if not can_create_plan(actor):
        raise PermissionDenied(_("Bạn không có quyền lập kế hoạch năm."))
    province = AdministrativeUnit.objects.get(pk=user_province_id(actor))
    if AnnualPlan.objects.filter(province=province, year=year, kind=kind).exists():
        raise ValidationError(
            {"year": _("Tỉnh/thành phố đã có kế hoạch loại này cho năm %(year)s.") % {"year": year}}
        )
    agency = getattr(getattr(actor, "staff_profile", None), "agency", None)
    plan = AnnualPlan(province=province, year=year, kind=kind, name=name, programme=programme, agency=agency)
    plan.full_clean()
    plan.save()
    PlanVersion.objects.create(plan=plan, number=1, expected_allocation=expected_allocation, created_by=actor)
    return plan


@transaction.atomic
def plan_build_from_proposals(
    *, actor, plan: AnnualPlan, projects: list[Project], expected_allocation: int | None
) -> PlanVersion:
    """Set the draft version's money to the state-budget money of the chosen proposals, by source and content."""
    plan = _lock_plan(plan)
    if not can_prepare_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền lập kế hoạch này."))
    version = open_version(plan)
    if version is None or version.status != VersionStatus.DRAFT or version.is_adjustment:
        raise ValidationError(_("Kế hoạch không còn ở dự thảo ban đầu: hãy dùng điều chỉnh kế hoạch."))
    ids = [p.pk for p in projects]
    if plan.projects.filter(pk__in=ids).exclude(status__in=PROPOSAL_EXCLUDED).count() != len(set(ids)):
        raise ValidationError(_("Có đề án không thuộc kế hoạch này hoặc đã bị loại."))
    version.expected_allocation = expected_allocation
    version.save()
    version.projects.set(ids)
    _set_lines(version, money_of_projects(ids))
    return version


@transaction.atomic
def plan_adjustment_start(*, actor, plan: AnnualPlan, reason: str) -> PlanVersion:
    """Open an adjustment: a new draft version with the money of the version in force, and its reason."""
    plan = _lock_plan(plan)
    if not can_prepare_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền điều chỉnh kế hoạch này."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Cần ghi lý do điều chỉnh.")})
    if open_version(plan) is not None:
        raise ValidationError(_("Kế hoạch đang có một bản chưa được phê duyệt."))
    current = current_version(plan)
    if current is None:
        raise ValidationError(_("Kế hoạch chưa được phê duyệt nên chưa điều chỉnh được."))
    version = PlanVersion.objects.create(
        plan=plan,
        number=current.number + 1,
        reason=reason.strip(),
        expected_allocation=current.expected_allocation,
        created_by=actor,
    )
    version.projects.set(current.projects.all())
    _set_lines(version, version_money(current))
    return version


@transaction.atomic
def plan_version_set_money(
    *, actor, version: PlanVersion, money: Money, reason: str | None = None
) -> PlanVersion:
    """Change the money of a draft adjustment; refused with the figures when approved đề án would be left
    without money."""
    plan = _lock_plan(version.plan)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not can_prepare_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền điều chỉnh kế hoạch này."))
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Chỉ sửa được bản dự thảo."))
    if any(amount < 0 for amount in money.values()):
        raise ValidationError(_("Số tiền không thể âm."))
    errors = shortfall_errors(plan, money)
    if errors:
        raise ValidationError(errors)
    if reason is not None:
        if version.is_adjustment and not reason.strip():
            raise ValidationError({"reason": _("Cần ghi lý do điều chỉnh.")})
        version.reason = reason.strip()
        version.save()
    _set_lines(version, money)
    return version


@transaction.atomic
def plan_version_submit(*, actor, version: PlanVersion) -> PlanVersion:
    """Submit the draft to the UBND (the plan must have money)."""
    plan = _lock_plan(version.plan)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not can_prepare_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền trình kế hoạch này."))
    if not version.lines.exists():
        raise ValidationError(_("Kế hoạch chưa có kinh phí: hãy chọn các đề xuất đưa vào kế hoạch."))
    _move(actor, version, VersionStatus.SUBMITTED)
    return version


@transaction.atomic
def plan_version_return(*, actor, version: PlanVersion, comment: str) -> PlanVersion:
    """Send a submitted version back to draft, with the reason."""
    plan = _lock_plan(version.plan)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền trả lại kế hoạch này."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Cần ghi lý do trả lại.")})
    _move(actor, version, VersionStatus.DRAFT, comment.strip())
    return version


@transaction.atomic
def plan_version_approve(
    *,
    actor,
    version: PlanVersion,
    decision_number: str,
    decision_date: datetime.date,
    decision_authority: str = "",
) -> PlanVersion:
    """Record the UBND's decision: the version comes into force on its date, and the plan's allocations by
    source (which đề án approvals are checked against) become its money. Refused with the figures when
    approved đề án would be left without money."""
    plan = _lock_plan(version.plan)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not can_approve_plan(actor, plan):
        raise PermissionDenied(_("Bạn không có quyền ghi nhận phê duyệt kế hoạch này."))
    if not (decision_number or "").strip() or decision_date is None:
        raise ValidationError(_("Cần số và ngày quyết định phê duyệt."))
    previous = current_version(plan)
    if previous is not None and previous.decision_date and decision_date < previous.decision_date:
        raise ValidationError(
            {
                "decision_date": _(
                    "Ngày quyết định không thể trước quyết định của bản đang có hiệu lực (%(day)s)."
                )
                % {"day": previous.decision_date.strftime("%d/%m/%Y")}
            }
        )
    money = version_money(version)
    errors = shortfall_errors(plan, money)
    if errors:
        raise ValidationError(errors)
    version.decision_number = decision_number.strip()
    version.decision_date = decision_date
    version.decision_authority = decision_authority.strip()
    _move(actor, version, VersionStatus.APPROVED, f"{version.decision_number} {decision_date:%d/%m/%Y}")
    totals = by_source(money)
    for allocation in plan.allocations.filter(source__isnull=False).exclude(source_id__in=totals):
        allocation.delete()  # one by one, so the audit trail records each
    for source_id, amount in totals.items():
        allocation = plan.allocations.filter(source_id=source_id).first() or PlanAllocation(
            plan=plan, source_id=source_id
        )
        allocation.amount = amount
        allocation.full_clean()
        allocation.save()
    if version.number == 1:
        plan.decision_number, plan.decision_date = version.decision_number, version.decision_date
        plan.decision_authority = version.decision_authority
        plan.save()
    return version


@transaction.atomic
def plan_adjustment_propose(*, actor, plan: AnnualPlan, reason: str, money: Money) -> PlanVersion:
    """Open an adjustment (or take the one open) with its reason and money, in one step: all or nothing."""
    version = open_version(plan)
    if version is None or not version.is_adjustment:
        version = plan_adjustment_start(actor=actor, plan=plan, reason=reason)
    return plan_version_set_money(actor=actor, version=version, money=money, reason=reason)
