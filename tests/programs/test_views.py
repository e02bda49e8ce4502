"""Programme and annual-plan pages: lists scoped to the province, targets rolled up from the đề án,
money by year and source, fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from programs.models import Programme, ProgrammeTarget
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    PlanAllocationFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectOutputFactory,
    indicator,
    source,
)
from tests.projects.conftest import world  # noqa: F401 - the shared two-province fixture


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def programme(world):  # noqa: F811
    programme = ProgrammeFactory(province=world.own.unit, name="Chương trình khuyến công Cần Thơ 2026–2030")
    ProgrammeTarget.objects.create(
        programme=programme,
        indicator=indicator("trainees"),
        description="Đào tạo 500 lao động",
        min_value=500,
    )
    world.own.plan.programme = programme
    world.own.plan.save()
    return programme


def test_programme_list_shows_own_and_national_but_not_other_provinces(client, world, programme):  # noqa: F811
    national = ProgrammeFactory(province=None, level=Programme.Level.NATIONAL, name="Chương trình quốc gia")
    theirs = ProgrammeFactory(province=world.other.unit, name="Chương trình tỉnh khác")
    client.force_login(world.user(Role.OFFICER))
    shown = set(client.get(reverse("programs:list")).context["object_list"])
    assert shown == {programme, national}
    assert client.get(reverse("programs:detail", args=[theirs.pk])).status_code == 404


def test_programme_search_ignores_accents(client, world, programme):  # noqa: F811
    ProgrammeFactory(province=world.own.unit, name="Chương trình hỗ trợ làng nghề")
    client.force_login(world.user(Role.OFFICER))
    found = client.get(reverse("programs:list"), {"q": "can tho"}).context["object_list"]
    assert list(found) == [programme]


def test_programme_page_rolls_up_achieved_outputs_and_money_by_year(client, world, programme):  # noqa: F811
    later = AnnualPlanFactory(province=world.own.unit, year=2026, programme=programme)
    for plan, achieved in ((world.own.plan, 120), (later, 80)):
        project = ProjectFactory(plan=plan)
        ProjectOutputFactory(project=project, indicator=indicator("trainees"), planned=150, achieved=achieved)
        BudgetLineFactory(project=project, source=source("kcdp"), amount=100_000_000)
        BudgetLineFactory(project=project, source=source("doi-ung"), amount=40_000_000)
    client.force_login(world.user(Role.LEADER))
    response = client.get(reverse("programs:detail", args=[programme.pk]))
    (progress,) = response.context["targets"]
    assert (progress.achieved, progress.planned, progress.percent) == (200, 300, 40)
    grid = response.context["budget_grid"]
    assert [year for year, _amounts, _total in grid.rows] == [2025, 2026]
    assert grid.total == 280_000_000
    assert "200 / 500" in response.content.decode()


def test_programme_pages_run_a_fixed_number_of_queries(client, world, programme, django_assert_num_queries):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    ProjectOutputFactory(
        project=ProjectFactory(plan=world.own.plan), indicator=indicator("trainees"), achieved=3
    )
    list_url, detail_url = reverse("programs:list"), reverse("programs:detail", args=[programme.pk])
    few = (queries_for(client, list_url), queries_for(client, detail_url))
    for year in range(2015, 2021):
        ProgrammeFactory(province=world.own.unit)
        plan = AnnualPlanFactory(province=world.own.unit, year=year, programme=programme)
        PlanAllocationFactory(plan=plan)
        ProgrammeTarget.objects.create(programme=programme, description=f"Chỉ tiêu {year}", min_value=year)
        BudgetLineFactory(project=ProjectFactory(plan=plan), source=source("kcqg"))
    with django_assert_num_queries(few[0]):
        client.get(list_url)
    with django_assert_num_queries(few[1]):
        client.get(detail_url)


def test_plan_list_and_page_are_scoped_and_compare_allocation_with_estimates(client, world):  # noqa: F811
    world.own.plan.allocations.update(amount=900_000_000)  # the fixture's kcdp allocation
    BudgetLineFactory(project=ProjectFactory(plan=world.own.plan), source=source("kcdp"), amount=250_000_000)
    client.force_login(world.user(Role.OFFICER))
    assert list(client.get(reverse("programs:plan_list")).context["object_list"]) == [world.own.plan]
    page = client.get(reverse("programs:plan_detail", args=[world.own.plan.pk]))
    ((kcdp, allocated, estimated),) = page.context["money"]
    assert (kcdp.code, allocated, estimated) == ("kcdp", 900_000_000, 250_000_000)
    assert client.get(reverse("programs:plan_detail", args=[world.other.plan.pk])).status_code == 404


def test_plan_list_exports_csv(client, world):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    response = client.get(reverse("programs:plan_list"), {"export": "csv"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert world.own.plan.name in text
    assert world.other.plan.name not in text


def test_plan_pages_run_a_fixed_number_of_queries(client, world, django_assert_num_queries):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    BudgetLineFactory(project=ProjectFactory(plan=world.own.plan), source=source("kcdp"))
    list_url = reverse("programs:plan_list")
    detail_url = reverse("programs:plan_detail", args=[world.own.plan.pk])
    few = (queries_for(client, list_url), queries_for(client, detail_url))
    for year in range(2015, 2021):
        PlanAllocationFactory(plan=AnnualPlanFactory(province=world.own.unit, year=year))
        project = ProjectFactory(plan=world.own.plan)
        BudgetLineFactory(project=project, source=source("kcqg"))
        BudgetLineFactory(project=project, source=source("doi-ung"))
    with django_assert_num_queries(few[0]):
        client.get(list_url)
    with django_assert_num_queries(few[1]):
        client.get(detail_url)
