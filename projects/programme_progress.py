"""Reads of a programme's and a plan's đề án, for the programme page and the plan page (programs.views):
targets against achieved outputs, money by year and source, the budget-sum subquery of a đề án list.

They join programs and projects data, so they live here, above programs (docs/architecture.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from khuyencong.listing import child_sum
from programs.models import AnnualPlan, FundingSource, Programme, ProgrammeTarget
from programs.selectors import programme_plans

from .models import BudgetLine, Project, ProjectOutput


def budget_sum(**line_filters):
    """The sum of a đề án's budget lines (optionally of some sources) as a subquery: one query per page."""
    return child_sum(BudgetLine.objects.filter(**line_filters), "project_id")


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
