"""Reads of a programme or a plan that join đề án data: targets against achieved outputs, money by year.

`programme_plans` is the one set of plans a programme covers: the programme page and the programme report
(PDF and Excel) both read through it, so they count the same đề án and the same money.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from .models import AnnualPlan, FundingSource, Programme, ProgrammeTarget


def programme_plans(programme: Programme) -> QuerySet[AnnualPlan]:
    """The annual plans that carry out a programme: those linked to it, and those of its province (or, for
    a national programme, of every province) in its years and of its level that name no programme, since a
    year's plan implements the programme in force for that year."""
    kind = AnnualPlan.Kind.NATIONAL if programme.level == Programme.Level.NATIONAL else AnnualPlan.Kind.LOCAL
    unlinked = Q(
        programme__isnull=True,
        kind=kind,
        year__gte=programme.start_year,
        year__lte=programme.end_year,
    )
    if programme.province_id:
        today = programme.province.today_province()
        unlinked &= Q(province__current_province=today)
    return AnnualPlan.objects.filter(Q(programme=programme) | unlinked)


def plan_belongs(programme: Programme, *, programme_id, kind: str, year: int, province_id) -> bool:
    """The same rule as programme_plans, for one plan's fields (dashboards match in Python, one query)."""
    if programme_id is not None:
        return programme_id == programme.pk
    level_kind = (
        AnnualPlan.Kind.NATIONAL if programme.level == Programme.Level.NATIONAL else AnnualPlan.Kind.LOCAL
    )
    if kind != level_kind or not programme.start_year <= year <= programme.end_year:
        return False
    return programme.province_id is None or province_id == programme.province.current_province_id


@dataclass
class TargetProgress:
    target: ProgrammeTarget
    planned: int
    achieved: int
    outputs: int = 0  # đề án outputs of the programme recorded against the target's indicator
    form: object = None  # the page's form to enter a figure tracked by hand, for those who may

    @property
    def percent(self) -> int | None:
        """Achieved against the target's minimum, capped at 100 for the bar; None when not quantified."""
        if not self.target.min_value or not self.target.is_fed:
            return None
        return min(100, round(100 * self.achieved / self.target.min_value))

    @property
    def warning(self) -> str:
        """Why the target will not move, when nothing feeds it."""
        from django.utils.translation import gettext as _

        if not self.target.is_fed:
            return _(
                "Không có gì cập nhật chỉ tiêu này: chưa gắn với chỉ số đầu ra của đề án và không theo dõi "
                "thủ công."
            )
        if not self.target.tracked_by_hand and not self.outputs:
            return _("Chưa đề án nào của chương trình ghi đầu ra «%(indicator)s», nên kết quả vẫn là 0.") % {
                "indicator": self.target.indicator.name
            }
        return ""


def programme_targets_progress(programme: Programme, user) -> list[TargetProgress]:
    """Each target with the planned and achieved outputs of the đề án of the programme's plans (or, for a
    target tracked by hand, the figure staff entered)."""
    from django.db.models import Count

    from projects.models import Project, ProjectOutput

    projects = Project.objects.visible_to(user).filter(plan__in=programme_plans(programme))
    sums = {
        row["indicator_id"]: row
        for row in ProjectOutput.objects.filter(project__in=projects)
        .values("indicator_id")
        .annotate(planned=Sum("planned"), achieved=Sum("achieved"), n=Count("id"))
    }
    result = []
    for target in programme.targets.select_related("indicator"):
        if target.tracked_by_hand:
            result.append(TargetProgress(target, 0, target.achieved_by_hand or 0))
            continue
        row = sums.get(target.indicator_id, {}) if target.indicator_id else {}
        result.append(
            TargetProgress(target, row.get("planned") or 0, row.get("achieved") or 0, row.get("n") or 0)
        )
    return result


@dataclass(frozen=True)
class MoneyGrid:
    """Amounts by year (rows) and funding source (columns), with totals."""

    sources: list[FundingSource]
    rows: list[tuple[int, list[int], int]]
    source_totals: list[int]
    total: int


def _grid(pairs: dict[tuple[int, int | None], int]) -> MoneyGrid:
    sources = list(FundingSource.objects.all())
    years = sorted({year for year, _source in pairs})
    rows = []
    for year in years:
        amounts = [pairs.get((year, s.pk), 0) for s in sources]
        rows.append((year, amounts, sum(amounts) + pairs.get((year, None), 0)))
    totals = [sum(r[1][i] for r in rows) for i in range(len(sources))]
    return MoneyGrid(sources, rows, totals, sum(r[2] for r in rows))


def programme_budget_by_year(programme: Programme, user) -> MoneyGrid:
    """The đề án budget lines of a programme's plans, by plan year and source."""
    from projects.models import BudgetLine, Project

    projects = Project.objects.visible_to(user).filter(plan__in=programme_plans(programme))
    pairs: dict[tuple[int, int | None], int] = defaultdict(int)
    for row in (
        BudgetLine.objects.filter(project__in=projects)
        .values("project__year", "source_id")
        .annotate(total=Sum("amount"))
    ):
        pairs[(row["project__year"], row["source_id"])] += row["total"] or 0
    return _grid(pairs)


def plan_budget_by_source(plan: AnnualPlan, user) -> list[tuple[FundingSource | None, int, int]]:
    """For each source: allocated to the plan, and estimated in its đề án."""
    from projects.models import BudgetLine, Project

    projects = Project.objects.visible_to(user).filter(plan=plan)
    estimated = {
        row["source_id"]: row["total"] or 0
        for row in BudgetLine.objects.filter(project__in=projects)
        .values("source_id")
        .annotate(total=Sum("amount"))
    }
    allocated = {a.source_id: a.amount for a in plan.allocations.all()}
    rows = []
    for source in FundingSource.objects.all():
        if source.pk in estimated or source.pk in allocated:
            rows.append((source, allocated.get(source.pk, 0), estimated.get(source.pk, 0)))
    if None in allocated or None in estimated:
        rows.append((None, allocated.get(None, 0), estimated.get(None, 0)))
    return rows
