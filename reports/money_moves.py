"""Money that moved after planning (advanced, disbursed, settled), summed per source, per province or both.

Planned money comes from the budget lines and allocated money from the plan allocations (see blocks.py);
this module reads the đề án tracking records. For a half-year or a quarter the figures run from the
start to the end of the period ("lũy kế đến hết kỳ"); `disbursed_in_period` holds only the period's own
payments. Advances count once approved, on the day of the decision; settlement lines count once the
settlement decision is dated on or before the period's end (or is not dated).

Each table is read once whatever the number of views: the sums are grouped by every key the caller needs
(for the national view: province and source together) and `fold` adds the few resulting rows up per view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from projects.models import Advance, Disbursement, Project, SettlementLine

from .periods import Period
from .scope import Scope, of_projects


@dataclass
class Moves:
    advanced: dict = field(default_factory=dict)
    disbursed: dict = field(default_factory=dict)
    disbursed_in_period: dict = field(default_factory=dict)
    settled: dict = field(default_factory=dict)

    def fold(self, index: int) -> Moves:
        """The same sums by one of the keys (position `index` of each key tuple)."""
        return Moves(
            advanced=fold(self.advanced, index),
            disbursed=fold(self.disbursed, index),
            disbursed_in_period=fold(self.disbursed_in_period, index),
            settled=fold(self.settled, index),
        )


def fold(sums: dict[tuple, int], index: int) -> dict:
    """Sums keyed by tuples, added up by the key at `index`."""
    folded: dict = defaultdict(int)
    for key, total in sums.items():
        folded[key[index]] += total
    return dict(folded)


def sum_reads(
    projects: Scope | QuerySet[Project],
    period: Period | None,
    keys: tuple[str, ...] = ("source",),
    *,
    advances: bool = True,
) -> dict[str, QuerySet]:
    """The grouped reads behind `sums` ("advanced", "paid", "settled"), each a values_list of the keys and
    the sums; for a caller that reads them together with others (`reports.selectors.one_read`)."""
    scope = of_projects(projects)
    reads: dict[str, QuerySet] = {}
    if advances:
        approved = Advance.objects.filter(scope, status=Advance.Status.APPROVED)
        if period is not None:
            approved = approved.filter(decision_date__lte=period.end)
        reads["advanced"] = approved.order_by().values_list(*keys).annotate(total=Sum("amount"))
    disbursements = Disbursement.objects.filter(scope)
    settlements = SettlementLine.objects.filter(scope)
    if period is not None:
        disbursements = disbursements.filter(paid_on__lte=period.end)
        settlements = settlements.filter(
            Q(project__settlement_decision_date__isnull=True)
            | Q(project__settlement_decision_date__lte=period.end)
        )
    # Payments to the period's end and the period's own payments: one read of the payments.
    aggregates = {"total": Sum("amount")}
    if period is not None and not period.is_whole_year:
        aggregates["within"] = Sum("amount", filter=Q(paid_on__gte=period.start))
    reads["paid"] = disbursements.order_by().values_list(*keys).annotate(**aggregates)
    reads["settled"] = settlements.order_by().values_list(*keys).annotate(total=Sum("amount"))
    return reads


def moves_from(rows: dict[str, list[tuple]], width: int, *, own_period: bool) -> Moves:
    """Moves from the rows of `sum_reads` (keyed by their first `width` columns)."""
    moves = Moves()
    moves.advanced = {row[:width]: row[width] or 0 for row in rows.get("advanced", ())}
    paid = rows["paid"]
    moves.disbursed = {row[:width]: row[width] or 0 for row in paid}
    moves.disbursed_in_period = (
        {row[:width]: row[width + 1] or 0 for row in paid} if own_period else moves.disbursed
    )
    moves.settled = {row[:width]: row[width] or 0 for row in rows["settled"]}
    return moves


def sums(
    projects: Scope | QuerySet[Project],
    period: Period | None,
    keys: tuple[str, ...] = ("source",),
    *,
    advances: bool = True,
) -> Moves:
    """Advanced, disbursed and settled money by `keys` (paths from the money row: "source",
    "project__province"), keyed by tuples in the order of `keys`. Three queries (two without `advances`,
    for a view that does not show them: then `advanced` stays empty)."""
    reads = sum_reads(projects, period, keys, advances=advances)
    own_period = period is not None and not period.is_whole_year
    return moves_from({name: list(qs) for name, qs in reads.items()}, len(keys), own_period=own_period)


def by_source(projects: Scope | QuerySet[Project], period: Period | None) -> Moves:
    return sums(projects, period, ("source",)).fold(0)


def by_province(projects: Scope | QuerySet[Project], period: Period | None) -> Moves:
    return sums(projects, period, ("project__province",)).fold(0)
