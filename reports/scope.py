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
    """The ids of the đề án in scope, read once: later aggregates look their rows up by project id instead of
    scanning the đề án table again for each block."""


def pin(projects: QuerySet[Project]) -> QuerySet[Project] | ProjectIds:
    ids = list(projects.order_by().values_list("pk", flat=True)[: PIN_LIMIT + 1])
    return ProjectIds(ids) if len(ids) <= PIN_LIMIT else projects


def of_projects(projects, path: str = "project") -> dict:
    """Filter keyword for rows belonging to the đề án in scope (pinned ids or a queryset)."""
    if isinstance(projects, ProjectIds):
        return {f"{path}_id__in": projects}
    return {f"{path}__in": projects}


def as_queryset(projects) -> QuerySet[Project]:
    return Project.objects.filter(pk__in=projects) if isinstance(projects, ProjectIds) else projects
