"""The đề án list's year column and drop-downs: the year copied from the plan stays right, every drop-down
comes from one query, and a national user is not sent every plan of ten years."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from projects.filters import PLAN_CHOICES_WITHOUT_YEAR
from projects.models import Project
from tests.factories import (
    AnnualPlanFactory,
    ProgrammeFactory,
    ProjectFactory,
    beneficiary_kind,
    content,
)
from tests.projects.conftest import ready_project


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_year_is_the_plans_year_and_follows_a_corrected_plan(world):
    plan_2024 = AnnualPlanFactory(province=world.own.unit, year=2024)
    project = ProjectFactory(plan=plan_2024)
    assert Project.objects.get(pk=project.pk).year == 2024

    project.plan = world.own.plan  # moved to the 2025 plan
    project.save()
    assert Project.objects.get(pk=project.pk).year == 2025

    world.own.plan.year = 2023  # the plan's year corrected
    world.own.plan.save()
    assert set(Project.objects.filter(plan=world.own.plan).values_list("year", flat=True)) == {2023}
    assert Project.objects.in_year(2023).filter(pk=project.pk).exists()


def test_year_filter_and_sort_use_the_copied_year(client, world):
    old = ready_project(AnnualPlanFactory(province=world.own.unit, year=2019), title="Đề án năm cũ")
    new = ready_project(world.own.plan, title="Đề án năm mới")
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:list"), {"year": 2019}).content.decode()
    assert old.title in page and new.title not in page
    page = client.get(reverse("projects:list"), {"sort": "year"}).content.decode()
    assert page.index(old.title) < page.index(new.title)
    page = client.get(reverse("projects:list")).content.decode()
    assert page.index(new.title) < page.index(old.title)


def test_every_drop_down_is_filled_by_one_query(client, world):
    ProgrammeFactory(province=world.own.unit)
    for number in (1, 2):
        content(number)
    beneficiary_kind()
    client.force_login(world.user(Role.MINISTRY))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    reference_reads = [
        q["sql"]
        for q in captured.captured_queries
        if "programs_activitycontent" in q["sql"] and "projects_project_contents" not in q["sql"]
    ]
    assert len(reference_reads) == 1, reference_reads
    assert "UNION ALL" in reference_reads[0]
    page = response.content.decode()
    for name in ("plan", "programme", "content", "source", "province", "beneficiary_kind", "year"):
        assert len(_options(page, name)) > 1, name
    assert str(world.other.unit.pk) in _options(page, "province")


def test_many_plans_ask_for_a_year_first_but_keep_the_chosen_plan(client, world):
    plans = [
        AnnualPlanFactory(province=world.own.unit if n % 2 else world.other.unit, year=2030 + n // 2)
        for n in range(PLAN_CHOICES_WITHOUT_YEAR)
    ]
    client.force_login(world.user(Role.MINISTRY))
    url = reverse("projects:list")

    page = client.get(url).content.decode()
    assert _options(page, "plan") == [""]
    assert "Chọn năm trước để lọc theo kế hoạch" in page

    page = client.get(url, {"year": 2032}).content.decode()
    shown = set(_options(page, "plan")) - {""}
    assert shown == {str(p.pk) for p in plans if p.year == 2032}
    assert len(shown) == 2

    chosen = plans[5]
    project = ready_project(chosen, title="Đề án của kế hoạch đã chọn")
    page = client.get(url, {"plan": chosen.pk}).content.decode()
    assert _options(page, "plan") == ["", str(chosen.pk)]
    assert project.title in page


def test_a_province_user_is_offered_only_their_own_plans_and_no_province_filter(client, world):
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:list")).content.decode()
    assert set(_options(page, "plan")) == {"", str(world.own.plan.pk)}
    assert 'name="province"' not in page
    response = client.get(reverse("projects:list"), {"plan": world.other.plan.pk})
    assert response.status_code == 200
    assert "Đề án" in response.content.decode()


def test_the_list_runs_fewer_queries_than_the_admin_change_list_for_the_same_filter(client, world):
    for n in range(30):
        ready_project(world.own.plan if n % 2 else world.other.plan, title=f"Đề án số {n}")
    Project.objects.update(status="settled")

    def count(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    ours = count(world.user(Role.MINISTRY), reverse("projects:list") + "?status=settled&page=2")
    theirs = count(world.admin, reverse("admin:projects_project_changelist") + "?status__exact=settled&p=2")
    assert ours < theirs, (ours, theirs)
    assert ours <= 7


def _header(page: str, label: str) -> str:
    match = re.search(rf"<th[^>]*>(?:(?!</th>).)*{re.escape(label)}(?:(?!</th>).)*</th>", page, re.S)
    assert match, label
    return match.group(0)


def test_column_headers_sort_the_list_and_a_second_click_reverses(client, world):
    ready_project(world.own.plan, title="Bình thường", amount=10_000_000)
    ready_project(world.own.plan, title="An toàn", amount=900_000_000)
    client.force_login(world.user(Role.OFFICER))
    url = reverse("projects:list")

    page = client.get(url, {"status": "draft"}).content.decode()
    header = _header(page, "Tên đề án")
    assert 'href="?status=draft&amp;sort=title"' in header and "aria-sort" not in header
    assert "aria-sort" not in _header(page, "Nội dung") and "href" not in _header(page, "Nội dung")

    page = client.get(url, {"status": "draft", "sort": "title"}).content.decode()
    header = _header(page, "Tên đề án")
    assert 'aria-sort="ascending"' in header and "sort=-title" in header
    assert page.index("An toàn") < page.index("Bình thường")
    page = client.get(url, {"status": "draft", "sort": "-title"}).content.decode()
    assert 'aria-sort="descending"' in _header(page, "Tên đề án")
    assert page.index("Bình thường") < page.index("An toàn")

    # Money sorts largest first on the first click.
    page = client.get(url, {"status": "draft"}).content.decode()
    assert "sort=-total" in _header(page, "Tổng kinh phí")
    page = client.get(url, {"status": "draft", "sort": "-total"}).content.decode()
    assert page.index("An toàn") < page.index("Bình thường")
    page = client.get(url, {"status": "draft", "sort": "total"}).content.decode()
    assert page.index("Bình thường") < page.index("An toàn")
