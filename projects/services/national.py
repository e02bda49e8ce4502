"""The national procedure's own steps: the Sở forwards its national đề án to the Cục, the Cục takes them
up, returns or drops them, and the national plan of a year — drafted by the Cục with money per đề án and
content, approved by the Minister's decision — brings its đề án to "approved" through the same money
checks as any approval (allocation under a row lock, support caps in force, double support).

Same rules as every service: explicit actor, permission from the step table, locks before checks,
Vietnamese ValidationError naming what is wrong, nothing written when refused, audit rows.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import MINISTRY_ACTING_ROLES, user_roles
from khuyencong.money import format_dong
from programs.models import ActivityContent, AnnualPlan, FundingSource, PlanAllocation

from ..models import BudgetLine, NationalPlan, NationalPlanLine, Project, ProjectStatus, ProjectTransition
from ..models import WorkflowAction as A
from ..permissions import is_read_only, is_system_admin, rules_cache, step_roles
from ..selectors import appraisal_standing
from .checks import DoubleSupportWarning, decision_errors, money_check, raise_if
from .deadlines import C, late_warning
from .workflow import _begin, _finish, _require_comment

NATIONAL_SOURCE = "kcqg"


# ---------------------------------------------------------------------------------------------- moves


@transaction.atomic
def project_forward(
    *, actor, project: Project, comment: str = "", today: datetime.date | None = None
) -> ProjectTransition:
    """The Sở sends a national đề án it has appraised (thẩm định cấp cơ sở) to the Cục. After the deadline
    (20 June by default) it is still sent, with the warning kept on the audit row."""
    locked = _begin(actor, project, A.FORWARD)
    return _finish(
        actor,
        project,
        locked,
        A.FORWARD,
        comment=comment,
        warnings=late_warning(C.FORWARD, locked, today=today),
    )


@transaction.atomic
def project_cuc_receive(*, actor, project: Project, comment: str = "") -> ProjectTransition:
    """The Cục takes up a national đề án for its appraisal: one the Sở forwarded, or one filed directly
    with the Cục (regional centres, units working across provinces). Tells the Ministry's council."""
    locked = _begin(actor, project, A.CUC_RECEIVE)
    return _finish(actor, project, locked, A.CUC_RECEIVE, comment=comment)


@transaction.atomic
def project_cuc_return(*, actor, project: Project, comment: str) -> ProjectTransition:
    """The Cục sends a national đề án back for more (to the implementing unit and its Sở)."""
    locked = _begin(actor, project, A.CUC_RETURN)
    _require_comment(comment, why=_("nội dung cần bổ sung, chỉnh sửa"))
    return _finish(actor, project, locked, A.CUC_RETURN, comment=comment)


@transaction.atomic
def project_cuc_reject(*, actor, project: Project, comment: str) -> ProjectTransition:
    """The Cục's leadership leaves a national đề án out of the national plan (final), with the reason."""
    locked = _begin(actor, project, A.CUC_REJECT)
    _require_comment(comment, why=_("lý do không đưa vào kế hoạch"))
    return _finish(actor, project, locked, A.CUC_REJECT, comment=comment)


# ---------------------------------------------------------------------------------------------- the plan


def may_take_national_step(user, action: str) -> bool:
    """The Ministry's acting roles (or an administrator) named by the step table for national đề án."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or is_read_only(user):
        return False
    if is_system_admin(user):
        return True
    allowed = step_roles(action, None, cache=rules_cache(user), kind=Project.Kind.NATIONAL)
    return bool(user_roles(user) & MINISTRY_ACTING_ROLES & allowed)


def _require_national_step(actor, action: str) -> None:
    if not may_take_national_step(actor, action):
        raise PermissionDenied(_("Bạn không có quyền «%(step)s».") % {"step": A(action).label})


def _lock_plan(plan: NationalPlan | int) -> NationalPlan:
    return NationalPlan.objects.select_for_update().get(
        pk=plan.pk if isinstance(plan, NationalPlan) else plan
    )


def _require_draft(plan: NationalPlan) -> None:
    if plan.status != NationalPlan.Status.DRAFT:
        raise ValidationError(
            _("Kế hoạch «%(plan)s» đã được phê duyệt, không sửa được.") % {"plan": plan.name}
        )


def _total_errors(plan: NationalPlan, allocated: int) -> list[str]:
    if allocated > plan.total:
        return [
            _(
                "Tổng kinh phí phân bổ %(allocated)s vượt tổng kinh phí của kế hoạch %(total)s "
                "(vượt %(over)s)."
            )
            % {
                "allocated": format_dong(allocated, unit=True),
                "total": format_dong(plan.total, unit=True),
                "over": format_dong(allocated - plan.total, unit=True),
            }
        ]
    return []


@transaction.atomic
def national_plan_create(
    *, actor, year: int, name: str, total: int, programme=None, is_demo: bool = False
) -> NationalPlan:
    """The Cục drafts the national plan of a year with its total (whole đồng)."""
    _require_national_step(actor, A.NATIONAL_PLAN_EDIT)
    errors = []
    if NationalPlan.objects.filter(year=year).exists():
        errors.append(_("Đã có kế hoạch khuyến công quốc gia năm %(year)s.") % {"year": year})
    if not isinstance(total, int) or total < 0:
        errors.append(_("Tổng kinh phí phải là số đồng không âm."))
    raise_if(errors)
    plan = NationalPlan(
        year=year,
        name=(name or "").strip(),
        total=total,
        programme=programme,
        created_by=actor,
        is_demo=is_demo,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def national_plan_line_set(
    *, actor, plan: NationalPlan, project: Project, content: ActivityContent, amount: int
) -> NationalPlanLine:
    """Put (or change) a đề án's money for a content in the draft plan. The đề án must be national, of the
    plan's year and under the Cục's appraisal; the lines together may not exceed the plan's total."""
    _require_national_step(actor, A.NATIONAL_PLAN_EDIT)
    locked = _lock_plan(plan)
    _require_draft(locked)
    project = Project.objects.get(pk=project.pk)
    errors = []
    if not project.is_national:
        errors.append(_("Đề án %(code)s không phải đề án khuyến công quốc gia.") % {"code": project.code})
    if project.year != locked.year:
        errors.append(
            _("Đề án %(code)s thuộc năm %(year)s, không thuộc kế hoạch năm %(plan)s.")
            % {"code": project.code, "year": project.year, "plan": locked.year}
        )
    if project.status != ProjectStatus.CUC_REVIEW:
        errors.append(
            _("Đề án %(code)s chưa ở bước Cục thẩm định (đang «%(status)s».")
            % {"code": project.code, "status": project.get_status_display()}
        )
    if not isinstance(amount, int) or amount < 0:
        errors.append(_("Số tiền phải là số đồng không âm."))
    raise_if(errors)
    others = locked.lines.exclude(project=project, content=content).aggregate(t=Sum("amount"))["t"] or 0
    raise_if(_total_errors(locked, others + amount))
    line, _created = NationalPlanLine.objects.update_or_create(
        plan=locked, project=project, content=content, defaults={"amount": amount}
    )
    return line


@transaction.atomic
def national_plan_line_remove(*, actor, line: NationalPlanLine) -> None:
    _require_national_step(actor, A.NATIONAL_PLAN_EDIT)
    locked = _lock_plan(line.plan_id)
    _require_draft(locked)
    NationalPlanLine.objects.filter(pk=line.pk).delete()


def _national_need(project: Project, source: FundingSource) -> int:
    return BudgetLine.objects.filter(project=project, source=source).aggregate(t=Sum("amount"))["t"] or 0


@transaction.atomic
def national_plan_approve(
    *,
    actor,
    plan: NationalPlan,
    decision_number: str,
    decision_date: datetime.date | None,
    acknowledge_double_support: bool = False,
    comment: str = "",
) -> NationalPlan:
    """Record the Minister's decision approving the national plan. Refused with the figures when the lines
    exceed the total, a đề án asks the national budget for more than its line or falls short of the
    appraisal rule (sheets, average score). Each province's share
    becomes the national-source allocation of its national plan part (AnnualPlan kind "kcqg"), and each
    đề án is approved through the same money checks as any approval; one refusal leaves everything as it
    was."""
    _require_national_step(actor, A.NATIONAL_APPROVE)
    locked = _lock_plan(plan)
    _require_draft(locked)
    errors = decision_errors(decision_number, decision_date, what=_("quyết định của Bộ trưởng"))
    lines = list(locked.lines.select_related("project", "content"))
    if not lines:
        errors.append(_("Kế hoạch chưa có đề án nào."))
    errors += _total_errors(locked, sum(line.amount for line in lines))
    source = FundingSource.objects.get(code=NATIONAL_SOURCE)
    by_project: dict[int, int] = {}
    by_annual_plan: dict[int, int] = {}
    projects: dict[int, Project] = {}
    for line in lines:
        by_project[line.project_id] = by_project.get(line.project_id, 0) + line.amount
        by_annual_plan[line.project.plan_id] = by_annual_plan.get(line.project.plan_id, 0) + line.amount
        projects[line.project_id] = line.project
    for project_id, given in by_project.items():
        # The same appraisal rule as any approval: the Ministry's sheets and average score.
        standing = appraisal_standing(projects[project_id])
        if not standing.met:
            errors.append(
                _("Đề án %(code)s chưa đủ điều kiện thẩm định để phê duyệt (%(rule)s): %(problems)s")
                % {
                    "code": projects[project_id].code,
                    "rule": standing.rule.describe(),
                    "problems": " ".join(standing.problems),
                }
            )
        need = _national_need(projects[project_id], source)
        if need > given:
            errors.append(
                _(
                    "Đề án %(code)s cần %(need)s từ nguồn khuyến công quốc gia nhưng kế hoạch chỉ ghi "
                    "%(given)s."
                )
                % {
                    "code": projects[project_id].code,
                    "need": format_dong(need, unit=True),
                    "given": format_dong(given, unit=True),
                }
            )
    raise_if(errors)
    # Each province's part of the national plan receives its money from the national source, under a lock.
    for annual in AnnualPlan.objects.select_for_update().filter(pk__in=by_annual_plan).order_by("pk"):
        allocation = PlanAllocation.objects.filter(plan=annual, source=source).first()
        if allocation is None:
            allocation = PlanAllocation(plan=annual, source=source, amount=0)
        allocation.amount += by_annual_plan[annual.pk]
        allocation.note = allocation.note or _("Theo kế hoạch khuyến công quốc gia")
        allocation.full_clean()
        allocation.save()
    for project_id in sorted(by_project):
        _approve_into_plan(
            actor,
            projects[project_id],
            decision_number=decision_number,
            decision_date=decision_date,
            acknowledge_double_support=acknowledge_double_support,
            comment=comment,
        )
    locked.status = NationalPlan.Status.APPROVED
    locked.decision_number, locked.decision_date = decision_number.strip(), decision_date
    locked.approved_by, locked.approved_at = actor, timezone.now()
    locked.save()
    plan.refresh_from_db()
    return locked


def _approve_into_plan(actor, project: Project, **decision) -> ProjectTransition:
    locked = _begin(actor, project, A.NATIONAL_APPROVE)
    try:
        warnings = money_check(
            locked,
            on=decision["decision_date"],
            acknowledge_double_support=decision["acknowledge_double_support"],
        )
    except DoubleSupportWarning as warning:  # kept as it is: the approver acknowledges it and tries again
        raise DoubleSupportWarning([f"{locked.code}: {w}" for w in warning.warnings]) from warning
    except ValidationError as error:
        raise ValidationError([f"{locked.code}: {m}" for m in error.messages]) from error
    locked.approval_decision_number = decision["decision_number"].strip()
    locked.approval_decision_date = decision["decision_date"]
    return _finish(
        actor,
        project,
        locked,
        A.NATIONAL_APPROVE,
        comment=decision["comment"],
        decision_number=decision["decision_number"],
        decision_date=decision["decision_date"],
        warnings=warnings,
    )
