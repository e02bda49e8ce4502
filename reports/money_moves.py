"""Money that moved after planning (advanced, disbursed, settled), summed per source or per province.

Kept apart from selectors.py because it reads the đề án tracking records (advances, disbursements,
settlement lines); planned and allocated money come from the budget lines and the plan allocations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from projects.models import Project

from .periods import Period

AVAILABLE = False


@dataclass
class Moves:
    advanced: dict = field(default_factory=dict)
    disbursed: dict = field(default_factory=dict)
    settled: dict = field(default_factory=dict)


def by_source(projects: QuerySet[Project], period: Period | None) -> Moves:
    return Moves()


def by_province(projects: QuerySet[Project], period: Period | None) -> Moves:
    return Moves()
