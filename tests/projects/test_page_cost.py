"""The pages a province's staff read most cost a fixed number of queries: the đề án list (with a search, a
status filter or a later page) and the đề án page for each role that acts on it. The numbers are pinned: a
change that adds a query to these pages must say so here (the load test's p95 depends on them)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from projects.models import ProjectStatus, ProjectTransition
from tests.factories import content
from tests.projects.conftest import grow, project_in, ready_project

S = ProjectStatus

# Session, user (with roles and province), the step table, the list's drop-downs, count, page (and on
# PostgreSQL the planner's estimate); the Ministry's read-only viewer takes no step, so the step table is not
# read for it.
LIST_QUERIES = 7
READ_ONLY_LIST_QUERIES = 6


def estimate_queries(*, whole_table: bool = False) -> int:
    """PostgreSQL's row estimate for the list (khuyencong.pagination): an EXPLAIN; for a whole table, its
    statistics first (a test database has none yet, so the EXPLAIN follows). Other databases count."""
    if connection.vendor != "postgresql":
        return 0
    return 2 if whole_table else 1


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?q=%C4%91%C3%A0o+t%E1%BA%A1o", "?status=draft", "?status=appraising&year=2025"]
)
def test_the_list_costs_the_same_queries_whatever_its_rows_and_filters(client, world, query):
    client.force_login(world.user(Role.OFFICER))
    for n in range(30):
        project = ready_project(world.own.plan, status=S.APPRAISING if n % 2 else S.DRAFT)
        project.contents.add(content(2), content(3))
    assert queries(client, reverse("projects:list") + query) == LIST_QUERIES + estimate_queries()


@pytest.mark.parametrize("role", [Role.LEADER, Role.MINISTRY, Role.APPRAISER])
def test_the_list_costs_the_same_queries_for_every_role(client, world, role):
    ready_project(world.own.plan)
    client.force_login(world.user(role))
    if role == Role.MINISTRY:  # every province: the whole table
        expected = READ_ONLY_LIST_QUERIES + estimate_queries(whole_table=True)
    else:
        expected = LIST_QUERIES + estimate_queries()
    assert queries(client, reverse("projects:list")) == expected


# (role, status of the đề án): the queries of its page, with the step forms that role has there.
PAGE_QUERIES = {
    (Role.OFFICER, S.DRAFT): 25,
    (Role.OFFICER, S.IN_PROGRESS): 26,
    (Role.APPRAISER, S.APPRAISING): 25,
    (Role.LEADER, S.APPRAISING): 25,
    (Role.CENTRE, S.IN_PROGRESS): 33,
    (Role.MINISTRY, S.IN_PROGRESS): 25,
}


@pytest.mark.parametrize(("role", "status"), list(PAGE_QUERIES))
def test_the_dean_page_costs_a_fixed_number_of_queries(client, world, role, status):
    project = project_in(world.own.plan, status)
    ProjectTransition.objects.create(
        project=project,
        action="start",
        from_status=S.CONTRACTED,
        to_status=status,
        actor=world.user(Role.CENTRE),
    )  # one row of each kind, so every read of the page runs
    client.force_login(world.user(role))
    url = reverse("projects:detail", args=[project.pk])
    few = queries(client, url)
    grow(project, world)
    assert queries(client, url) == few == PAGE_QUERIES[(role, status)]
