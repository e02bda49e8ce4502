"""The đề án a report covers, read once.

Each report block aggregates a child table (budget lines, beneficiaries, outputs, money moves) over the same
đề án. Reading their ids once and looking child rows up by project id spares the database a scan of the
đề án table per block, which on a national dataset is most of the cost.
"""

from __future__ import annotations

from django.db.models import QuerySet

from projects.models import Project

# Above this many đề án the scope stays a subquery (SQLite caps the parameters of one statement).
PIN_LIMIT = 20_000


class ProjectIds(list):
    """The ids of the đề án in scope, read once with their status: later aggregates look their rows up by
    project id instead of scanning the đề án table again for each block."""

    def __init__(self, ids=(), statuses: dict[int, str] | None = None) -> None:
        super().__init__(ids)
        self.statuses: dict[int, str] = statuses or {}
        # Planned money per đề án, filled by the first block that needs it.
        self.planned: dict[int, int] | None = None


def pin(projects: QuerySet[Project]) -> QuerySet[Project] | ProjectIds:
    rows = list(projects.order_by().values_list("pk", "status")[: PIN_LIMIT + 1])
    if len(rows) > PIN_LIMIT:
        return projects
    return ProjectIds([pk for pk, _status in rows], dict(rows))


def of_projects(projects, path: str = "project") -> dict:
    """Filter keyword for rows belonging to the đề án in scope (pinned ids or a queryset)."""
    if isinstance(projects, ProjectIds):
        return {f"{path}_id__in": list(projects)}
    return {f"{path}__in": projects}


def as_queryset(projects) -> QuerySet[Project]:
    return Project.objects.filter(pk__in=projects) if isinstance(projects, ProjectIds) else projects
