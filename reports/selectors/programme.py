"""Programme progress over its whole period."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import (
    PlanAllocation,
    Programme,
    ProgrammeBudget,
)
from programs.selectors import plan_belongs, programme_plans
from projects.models import BudgetLine, Project, ProjectOutput

from .. import money_moves
from .blocks import (
    _sources,
)
from .rows import (
    qualifier_prefix,
)

# ---- Programme progress

__all__ = ["plan_belongs", "programme_plans", "programme_report"]


@dataclass
class TargetRow:
    description: str
    indicator_name: str
    unit: str
    min_value: int | None
    max_value: int | None
    qualifier: str
    by_year: dict[int, int]
    achieved: int
    quantified: bool

    @property
    def target_text(self) -> str:
        from khuyencong.money import format_dong

        if self.min_value is None:
            return ""
        prefix = qualifier_prefix(self.qualifier)
        text = format_dong(self.min_value)
        if self.max_value is not None and self.max_value != self.min_value:
            text = f"{text}–{format_dong(self.max_value)}"
        return f"{prefix} {text}".strip()

    @property
    def share(self) -> float | None:
        """Share of the minimum reached (a range is met once its minimum is reached)."""
        if not self.quantified or not self.min_value:
            return None
        return round(100 * self.achieved / self.min_value, 1)

    @property
    def bar_percent(self) -> int:
        return min(100, int(self.share or 0))


@dataclass
class ProgrammeSourceRow:
    source_id: int | None
    name: str
    short_name: str
    programme_budget: int | None
    allocated_by_year: dict[int, int]
    allocated: int
    planned: int
    disbursed: int
    settled: int

    unsplit: bool = False  # the published total not split by source

    @property
    def share(self) -> float | None:
        if not self.programme_budget or self.unsplit:
            return None
        return round(100 * self.allocated / self.programme_budget, 1)


@dataclass
class ProgrammeYearRow:
    year: int
    projects: int
    planned: int
    allocated: int


@dataclass
class ProgrammeReport:
    programme: Programme
    years: list[int]
    targets: list[TargetRow]
    budget_rows: list[ProgrammeSourceRow]
    budget_split_known: bool
    total_budget: int | None
    allocated_total: int
    planned_total: int
    disbursed_total: int
    settled_total: int
    year_rows: list[ProgrammeYearRow]
    project_count: int
    generated_on: datetime.date

    @property
    def allocated_share(self) -> float | None:
        if not self.total_budget:
            return None
        return round(100 * self.allocated_total / self.total_budget, 1)


def programme_report(*, programme: Programme, user=None) -> ProgrammeReport:
    """Programme progress over its whole period: targets against achieved, budget by source against the total."""
    years = list(range(programme.start_year, programme.end_year + 1))
    plans = programme_plans(programme)
    projects = Project.objects.filter(plan__in=plans)
    if user is not None:
        projects = projects.visible_to(user)
        plans = plans.visible_to(user)
    achieved: dict[int, dict[int, int]] = defaultdict(dict)
    for indicator_id, year, total in (
        ProjectOutput.objects.filter(project__in=projects, achieved__isnull=False)
        .order_by()
        .values_list("indicator", "project__plan__year")
        .annotate(total=Sum("achieved"))
    ):
        achieved[indicator_id][year] = total or 0
    targets = []
    for t in programme.targets.select_related("indicator").order_by("order", "id"):
        by_year = achieved.get(t.indicator_id, {}) if t.indicator_id and not t.tracked_by_hand else {}
        if t.tracked_by_hand and t.achieved_by_hand is not None:
            # Entered by hand as a running total: shown in the year it was last updated.
            year = t.achieved_on.year if t.achieved_on else programme.end_year
            by_year = {min(max(year, programme.start_year), programme.end_year): t.achieved_by_hand}
        targets.append(
            TargetRow(
                description=t.description,
                indicator_name=t.indicator.name if t.indicator_id else "",
                unit=t.unit or (t.indicator.unit if t.indicator_id else ""),
                min_value=t.min_value,
                max_value=t.max_value,
                qualifier=t.qualifier,
                by_year={y: by_year.get(y, 0) for y in years},
                achieved=sum(by_year.values()),
                quantified=t.is_quantified,
            )
        )
    sources = _sources()
    budgets = dict(ProgrammeBudget.objects.filter(programme=programme).values_list("source", "amount"))
    alloc_by_year: dict[int | None, dict[int, int]] = defaultdict(dict)
    for source_id, year, total in (
        PlanAllocation.objects.filter(plan__in=plans)
        .order_by()
        .values_list("source", "plan__year")
        .annotate(total=Sum("amount"))
    ):
        alloc_by_year[source_id][year] = total or 0
    planned = dict(
        BudgetLine.objects.filter(project__in=projects)
        .order_by()
        .values_list("source")
        .annotate(t=Sum("amount"))
    )
    moves = money_moves.by_source(projects, None)
    budget_rows = []
    for s in sources:
        by_year = alloc_by_year.get(s.pk, {})
        budget_rows.append(
            ProgrammeSourceRow(
                source_id=s.pk,
                name=s.name,
                short_name=s.short_name,
                programme_budget=budgets.get(s.pk),
                allocated_by_year={y: by_year.get(y, 0) for y in years},
                allocated=sum(by_year.values()),
                planned=planned.get(s.pk) or 0,
                disbursed=moves.disbursed.get(s.pk, 0),
                settled=moves.settled.get(s.pk, 0),
            )
        )
    if alloc_by_year.get(None) or planned.get(None):
        by_year = alloc_by_year.get(None, {})
        budget_rows.append(
            ProgrammeSourceRow(
                source_id=None,
                name=_("Ngân sách nhà nước (văn bản gốc không nêu cấp ngân sách)"),
                short_name=_("NSNN (không nêu cấp)"),
                programme_budget=None,
                allocated_by_year={y: by_year.get(y, 0) for y in years},
                allocated=sum(by_year.values()),
                planned=planned.get(None) or 0,
                disbursed=moves.disbursed.get(None, 0),
                settled=moves.settled.get(None, 0),
            )
        )
    unsplit = (programme.total_budget or 0) - sum(budgets.values())
    if unsplit > 0:
        # The published total not split by source: its own row, so the column adds up to the total in both
        # the PDF and the workbook's =SUM.
        budget_rows.append(
            ProgrammeSourceRow(
                source_id=None,
                name=_("Tổng kinh phí đã công bố, chưa chia theo nguồn"),
                short_name=_("Chưa chia theo nguồn"),
                programme_budget=unsplit,
                unsplit=True,
                allocated_by_year={y: 0 for y in years},
                allocated=0,
                planned=0,
                disbursed=0,
                settled=0,
            )
        )
    project_counts = dict(projects.order_by().values_list("plan__year").annotate(n=Count("id")))
    planned_by_year = dict(
        BudgetLine.objects.filter(project__in=projects)
        .order_by()
        .values_list("project__plan__year")
        .annotate(t=Sum("amount"))
    )
    year_rows = [
        ProgrammeYearRow(
            year=y,
            projects=project_counts.get(y, 0),
            planned=planned_by_year.get(y) or 0,
            allocated=sum(r.allocated_by_year.get(y, 0) for r in budget_rows),
        )
        for y in years
    ]
    return ProgrammeReport(
        programme=programme,
        years=years,
        targets=targets,
        budget_rows=budget_rows,
        budget_split_known=bool(budgets),
        total_budget=programme.total_budget
        if programme.total_budget is not None
        else (sum(budgets.values()) or None),
        allocated_total=sum(r.allocated for r in budget_rows),
        planned_total=sum(r.planned for r in budget_rows),
        disbursed_total=sum(r.disbursed for r in budget_rows),
        settled_total=sum(r.settled for r in budget_rows),
        year_rows=year_rows,
        project_count=sum(project_counts.values()),
        generated_on=timezone.localdate(),
    )
