"""What a move requires, and the money checks of approval and adjustment.

Each check returns the Vietnamese messages naming what is missing or breached; the services turn a
non-empty list into a ValidationError, so nothing is written.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from khuyencong.money import format_dong
from programs.models import AnnualPlan, FundingSource, SupportCap

from ..models import COMMITTED_STATUSES, BudgetLine, Disbursement, Project, ProjectBeneficiary, ProjectStatus


class DoubleSupportWarning(ValidationError):
    """The approver must acknowledge that a beneficiary already has support for the same content in an
    overlapping period; `warnings` lists each case."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__(
            [
                _("Cảnh báo hỗ trợ trùng: hãy xem và xác nhận đã kiểm tra trước khi phê duyệt. %(details)s")
                % {"details": " ".join(warnings)}
            ],
            code="double_support",
        )


def validate_fields(instance, *related: str) -> None:
    """Field validation before saving a record written under the đề án's lock. Related rows were fetched
    (and locked) by the service and uniqueness was checked under the lock, so their queries are skipped;
    the database constraints still guard."""
    instance.full_clean(exclude=list(related), validate_unique=False, validate_constraints=False)


def raise_if(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------- submit


def submission_errors(project: Project) -> list[str]:
    """At least one content, a site, budget lines each with a source, and the counterpart commitments."""
    errors: list[str] = []
    if not project.contents.exists():
        errors.append(_("Chưa chọn nội dung hoạt động khuyến công nào."))
    if not project.sites.exists():
        errors.append(_("Chưa có địa bàn thực hiện (đơn vị hành chính)."))
    lines = project.budget_lines.all()
    if not lines.exists():
        errors.append(_("Chưa có dòng dự toán kinh phí nào."))
    elif lines.filter(source__isnull=True).exists():
        errors.append(_("Có dòng dự toán chưa ghi nguồn kinh phí."))
    links = project.beneficiary_links.select_related("beneficiary")
    if project.shape == Project.Shape.NAMED and not links.exists():
        errors.append(_("Đề án cho cơ sở cụ thể nhưng chưa có cơ sở thụ hưởng nào."))
    missing = [str(link.beneficiary) for link in links if not link.counterpart_committed]
    if missing:
        errors.append(
            _("Chưa có cam kết vốn đối ứng của cơ sở thụ hưởng: %(names)s.") % {"names": ", ".join(missing)}
        )
    return errors


def decision_errors(number: str, date: datetime.date | None, *, what: str) -> list[str]:
    errors = []
    if not (number or "").strip():
        errors.append(_("Thiếu số %(what)s.") % {"what": what})
    if date is None:
        errors.append(_("Thiếu ngày %(what)s.") % {"what": what})
    return errors


# ---------------------------------------------------------------------------------------------- money


def plan_committed_by_source(plan: AnnualPlan, *, exclude: Project | None = None) -> dict[int, int]:
    """Money of the plan held by its approved-or-later đề án (stopped ones hold what they disbursed)."""
    lines = BudgetLine.objects.filter(project__plan=plan, project__status__in=COMMITTED_STATUSES)
    paid = Disbursement.objects.filter(project__plan=plan, project__status=ProjectStatus.STOPPED)
    if exclude is not None:
        lines, paid = lines.exclude(project=exclude), paid.exclude(project=exclude)
    held: dict[int, int] = {}
    for qs in (lines, paid):
        for row in qs.filter(source__isnull=False).values("source_id").annotate(total=Sum("amount")):
            held[row["source_id"]] = held.get(row["source_id"], 0) + (row["total"] or 0)
    return held


def allocation_errors(project: Project, plan: AnnualPlan) -> list[str]:
    """Per source, the đề án must fit in what the plan has left. The caller holds a lock on the plan."""
    need = {
        row["source_id"]: row["total"]
        for row in project.budget_lines.filter(source__isnull=False)
        .values("source_id")
        .annotate(total=Sum("amount"))
    }
    allocated = dict(plan.allocations.filter(source__isnull=False).values_list("source_id", "amount"))
    held = plan_committed_by_source(plan, exclude=project)
    sources = FundingSource.objects.in_bulk(need)
    errors = []
    for source_id, amount in sorted(need.items()):
        source = sources[source_id]
        if source_id not in allocated and not source.is_state_budget:
            continue  # counterpart and other funds are not allocated by the plan
        remaining = allocated.get(source_id, 0) - held.get(source_id, 0)
        if amount > remaining:
            errors.append(
                _(
                    "Nguồn «%(source)s»: đề án cần %(need)s nhưng kế hoạch «%(plan)s» chỉ còn %(left)s "
                    "(được giao %(allocated)s, các đề án đã phê duyệt khác dùng %(held)s)."
                )
                % {
                    "source": source.name,
                    "need": format_dong(amount, unit=True),
                    "plan": plan.name,
                    "left": format_dong(max(remaining, 0), unit=True),
                    "allocated": format_dong(allocated.get(source_id, 0), unit=True),
                    "held": format_dong(held.get(source_id, 0), unit=True),
                }
            )
    return errors


def caps_in_force(project: Project, on: datetime.date) -> dict[int, list[SupportCap]]:
    """Support caps per content for the đề án's province on a date: the province's own, else national."""
    caps = (
        SupportCap.objects.in_force(on=on, province=project.province)
        .filter(category=SupportCap.Category.SUPPORT)
        .select_related("content")
    )
    by_content: dict[int, dict[str, list[SupportCap]]] = {}
    for cap in caps:
        by_content.setdefault(cap.content_id, {}).setdefault(cap.scope, []).append(cap)
    return {
        content_id: scopes.get(SupportCap.Scope.PROVINCE) or scopes.get(SupportCap.Scope.NATIONAL, [])
        for content_id, scopes in by_content.items()
    }


def cap_errors(project: Project, on: datetime.date) -> list[str]:
    """State support per content must respect the caps in force: share of cost and ceiling.

    Support is what state-budget sources pay; cost is every line of the content, counterpart included.
    The ceiling is per supported unit: one per named beneficiary of the đề án (at least one)."""
    caps = caps_in_force(project, on)
    if not caps:
        return []
    support: dict[int, int] = {}
    cost: dict[int, int] = {}
    for line in project.budget_lines.filter(content__isnull=False).select_related("source"):
        cost[line.content_id] = cost.get(line.content_id, 0) + line.amount
        if line.source is not None and line.source.is_state_budget:
            support[line.content_id] = support.get(line.content_id, 0) + line.amount
    units = max(1, project.beneficiary_links.count())
    errors = []
    for content_id, content_caps in caps.items():
        given, total = support.get(content_id, 0), cost.get(content_id, 0)
        if not given:
            continue
        for cap in content_caps:
            values = {
                "content": cap.content,
                "item": cap.item,
                "basis": cap.legal_basis,
                "support": format_dong(given, unit=True),
            }
            if (
                cap.percent_of_cost is not None
                and Decimal(given) * 100 > Decimal(total) * cap.percent_of_cost
            ):
                errors.append(
                    _(
                        "Nội dung «%(content)s»: hỗ trợ %(support)s vượt %(percent)s%% chi phí (%(cost)s) "
                        "theo mức «%(item)s» — %(basis)s."
                    )
                    % {
                        **values,
                        "percent": f"{cap.percent_of_cost.normalize():f}",
                        "cost": format_dong(total, unit=True),
                    }
                )
            if cap.ceiling is not None and given > cap.ceiling * units:
                errors.append(
                    _(
                        "Nội dung «%(content)s»: hỗ trợ %(support)s vượt mức trần %(ceiling)s "
                        "(%(per)s, %(units)s đơn vị) theo mức «%(item)s» — %(basis)s."
                    )
                    % {
                        **values,
                        "ceiling": format_dong(cap.ceiling * units, unit=True),
                        "per": _("%(amount)s/%(unit)s")
                        % {"amount": format_dong(cap.ceiling), "unit": cap.unit_of_ceiling or _("đề án")},
                        "units": units,
                    }
                )
    return errors


def _period(project: Project) -> tuple[datetime.date, datetime.date]:
    year = project.plan.year
    return (
        project.start_date or datetime.date(year, 1, 1),
        project.end_date or datetime.date(year, 12, 31),
    )


def double_support_warnings(project: Project) -> list[str]:
    """Beneficiaries of this đề án already supported for the same content in an overlapping period."""
    beneficiary_ids = list(project.beneficiary_links.values_list("beneficiary_id", flat=True))
    if not beneficiary_ids:
        return []
    contents = set(project.contents.values_list("pk", flat=True))
    contents |= set(project.budget_lines.filter(content__isnull=False).values_list("content_id", flat=True))
    start, end = _period(project)
    others = (
        ProjectBeneficiary.objects.filter(beneficiary_id__in=beneficiary_ids)
        .exclude(project=project)
        .filter(project__status__in=[*COMMITTED_STATUSES, ProjectStatus.STOPPED])
        .select_related("project__plan", "beneficiary")
        .prefetch_related("project__contents")
    )
    warnings = []
    for link in others:
        other = link.project
        shared = [c for c in other.contents.all() if c.pk in contents]
        other_start, other_end = _period(other)
        if shared and other_start <= end and start <= other_end:
            warnings.append(
                _(
                    "Cơ sở «%(beneficiary)s» đã được hỗ trợ nội dung «%(content)s» trong đề án %(code)s "
                    "(%(start)s–%(end)s)."
                )
                % {
                    "beneficiary": link.beneficiary,
                    "content": ", ".join(str(c) for c in shared),
                    "code": other.code,
                    "start": other_start.strftime("%d/%m/%Y"),
                    "end": other_end.strftime("%d/%m/%Y"),
                }
            )
    return warnings


def money_check(project: Project, *, on: datetime.date, acknowledge_double_support: bool) -> str:
    """Lock the plan, then check allocation and caps (blocking) and double support (to acknowledge).
    Returns the acknowledged warnings, to be kept in the audit row."""
    plan = AnnualPlan.objects.select_for_update().get(pk=project.plan_id)
    raise_if(allocation_errors(project, plan) + cap_errors(project, on))
    warnings = double_support_warnings(project)
    if warnings and not acknowledge_double_support:
        raise DoubleSupportWarning(warnings)
    return "\n".join(warnings)
