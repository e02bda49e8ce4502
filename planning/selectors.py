"""Reads about plan versions: money by source and content, the difference an adjustment makes, the version
in force on a day, and the running total of the proposals chosen for a plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum

from programs.models import ActivityContent, AnnualPlan, FundingSource
from projects.models import BudgetLine, Project, ProjectStatus

from .models import PlanVersion, PlanVersionLine, VersionStatus

# Đề án that are still proposals or already hold money: what a plan can be built from.
PROPOSAL_EXCLUDED = (ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN)


def proposals(plan: AnnualPlan) -> QuerySet[Project]:
    return (
        plan.projects.exclude(status__in=PROPOSAL_EXCLUDED)
        .annotate(state_money=Sum("budget_lines__amount", filter=_state_lines("budget_lines__")))
        .order_by("code")
    )


def _state_lines(prefix: str = ""):
    from django.db.models import Q

    return Q(**{f"{prefix}source__is_state_budget": True})


def money_of_projects(project_ids: list[int]) -> dict[tuple[int, int | None], int]:
    """State-budget money of the đề án by (source, content): what a plan built from them allocates."""
    rows = (
        BudgetLine.objects.filter(project_id__in=project_ids, source__is_state_budget=True)
        .order_by()
        .values_list("source_id", "content_id")
        .annotate(total=Sum("amount"))
    )
    return {(s, c): total or 0 for s, c, total in rows}


def version_money(version: PlanVersion | None) -> dict[tuple[int, int | None], int]:
    if version is None:
        return {}
    return {(line.source_id, line.content_id): line.amount for line in version.lines.all()}


def by_source(money: dict[tuple[int, int | None], int]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for (source_id, _content), amount in money.items():
        totals[source_id] = totals.get(source_id, 0) + amount
    return totals


@dataclass
class DiffRow:
    source: FundingSource
    content: ActivityContent | None
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


def current_version(plan: AnnualPlan) -> PlanVersion | None:
    """The latest approved version (the plan as it stands today)."""
    return plan.versions.approved().order_by("-number").first()


def open_version(plan: AnnualPlan) -> PlanVersion | None:
    return plan.versions.exclude(status=VersionStatus.APPROVED).first()


def previous_version(version: PlanVersion) -> PlanVersion | None:
    return version.plan.versions.approved().filter(number__lt=version.number).order_by("-number").first()


def version_diff(version: PlanVersion) -> tuple[list[DiffRow], list[DiffRow]]:
    """The money of a version against the version before it: (by source and content, by source)."""
    before, after = version_money(previous_version(version)), version_money(version)
    keys = sorted(set(before) | set(after), key=lambda k: (k[0], k[1] or 0))
    sources = FundingSource.objects.in_bulk({k[0] for k in keys})
    contents = ActivityContent.objects.in_bulk({k[1] for k in keys if k[1]})
    rows = [
        DiffRow(sources[s], contents.get(c), before.get((s, c), 0), after.get((s, c), 0))
        for s, c in keys
        if before.get((s, c), 0) or after.get((s, c), 0)
    ]
    b, a = by_source(before), by_source(after)
    totals = [DiffRow(sources[s], None, b.get(s, 0), a.get(s, 0)) for s in sorted(set(b) | set(a))]
    return rows, totals


def version_in_force(plan: AnnualPlan, on: datetime.date) -> PlanVersion | None:
    return plan.versions.in_force_on(on).order_by("-number").first()


def managed_plan_ids(plans: QuerySet[AnnualPlan]) -> QuerySet:
    """Plans whose money is kept as approved versions (the others keep their allocations as entered)."""
    return PlanVersion.objects.approved().filter(plan__in=plans).values("plan_id")


def kept_as_versions() -> Exists:
    """Whether a plan (the outer row of an annotation) keeps its money as approved versions, as
    `managed_plan_ids` tells: a column of the plans' own read instead of a second read."""
    return Exists(PlanVersion.objects.approved().filter(plan=OuterRef("pk")))


def lines_in_force(plans: QuerySet[AnnualPlan], on: datetime.date) -> QuerySet[PlanVersionLine]:
    """The lines of the version of each plan in force on `on` (none for a plan not yet approved then)."""
    in_force = (
        PlanVersion.objects.in_force_on(on)
        .filter(plan=OuterRef("version__plan"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return PlanVersionLine.objects.filter(version__plan__in=plans, version=Subquery(in_force))
