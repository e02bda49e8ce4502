"""Money that moved after planning (advanced, disbursed, settled), summed per source or per province.

Planned money comes from the budget lines and allocated money from the plan allocations (see blocks.py);
this module reads the đề án tracking records. For a half-year or a quarter the figures run from the
start to the end of the period ("lũy kế đến hết kỳ"); `disbursed_in_period` holds only the period's own
payments. Advances count once approved, on the day of the decision; settlement lines count once the
settlement decision is dated on or before the period's end (or is not dated).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from projects.models import Advance, Disbursement, Project, SettlementLine

from .periods import Period
from .scope import of_projects


@dataclass
class Moves:
    advanced: dict = field(default_factory=dict)
    disbursed: dict = field(default_factory=dict)
    disbursed_in_period: dict = field(default_factory=dict)
    settled: dict = field(default_factory=dict)


def _sum_by(qs: QuerySet, key: str) -> dict:
    return {k: v or 0 for k, v in qs.order_by().values_list(key).annotate(total=Sum("amount"))}


def _moves(projects: QuerySet[Project], period: Period | None, key: str) -> Moves:
    advances = Advance.objects.filter(**of_projects(projects), status=Advance.Status.APPROVED)
    disbursements = Disbursement.objects.filter(**of_projects(projects))
    settlements = SettlementLine.objects.filter(**of_projects(projects))
    in_period = disbursements
    if period is not None:
        advances = advances.filter(decided_at__date__lte=period.end)
        disbursements = disbursements.filter(paid_on__lte=period.end)
        in_period = disbursements.filter(paid_on__gte=period.start)
        settlements = settlements.filter(
            Q(project__settlement_decision_date__isnull=True)
            | Q(project__settlement_decision_date__lte=period.end)
        )
    moves = Moves(
        advanced=_sum_by(advances, key),
        disbursed=_sum_by(disbursements, key),
        settled=_sum_by(settlements, key),
    )
    moves.disbursed_in_period = (
        moves.disbursed if period is None or period.is_whole_year else _sum_by(in_period, key)
    )
    return moves


def by_source(projects: QuerySet[Project], period: Period | None) -> Moves:
    return _moves(projects, period, "source")


def by_province(projects: QuerySet[Project], period: Period | None) -> Moves:
    return _moves(projects, period, "project__province")
