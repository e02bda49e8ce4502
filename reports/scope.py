"""The đề án a report covers, as a filter each block applies from its own table.

A report's đề án are those of a year's plans, optionally of one province, as one user may see them. Each block
aggregates a child table (budget lines, beneficiaries, outputs, money moves) over those đề án. Expressed as a
filter through the block's own path to the đề án (`project__year = 2024 AND project__province = 8`, the year
each đề án keeps from its plan), the database reads the year's đề án (or one province's) as one range of a
covering index (reports migration 0004) and goes from there to the child rows, in the one query; no list of
ids travels to the database and back, and Django does not build thousands of parameters per block.

Blocks also accept any queryset of đề án (the programme report, the lists): then they filter by
`project__in=<the queryset>`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from projects.models import Project


class Scope:
    """The đề án of one year's plans, optionally of one province of today's map, as `user` may see them.

    By `Project.year`, which each đề án keeps equal to its plan's year (set on save, and again by the plan's
    save when a plan's year is corrected)."""

    def __init__(self, *, year: int, province=None, user=None) -> None:
        self.year = year
        self.province_id = getattr(province, "pk", province)
        self.user = user

    def q(self, path: str = "") -> Q:
        """The filter from a model whose `path` leads to the đề án ("" for the đề án themselves)."""
        prefix = f"{path}__" if path else ""
        q = Q(**{f"{prefix}year": self.year})
        if self.province_id is not None:
            q &= Q(**{f"{prefix}province": self.province_id})
        if self.user is not None:
            from accounts.scoping import NOTHING, province_filter

            # Empty for the Ministry and administrators, who see every province: no filter at all then.
            seen = province_filter(self.user, f"{prefix}province")
            if seen == NOTHING:
                return NOTHING
            q &= seen
        return q

    def projects(self) -> QuerySet[Project]:
        return Project.objects.filter(self.q())


def of_projects(projects: Scope | QuerySet[Project], path: str = "project") -> Q:
    """Filter for rows belonging to the đề án in scope (a Scope or a queryset of đề án)."""
    if isinstance(projects, Scope):
        return projects.q(path)
    return Q(**{f"{path}__in": projects}) if path else Q(pk__in=projects)


def as_queryset(projects: Scope | QuerySet[Project]) -> QuerySet[Project]:
    return projects.projects() if isinstance(projects, Scope) else projects
