"""Report downloads and the dashboard: the happy path, province scoping, and a fixed number of queries."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.periods import Period

from .conftest import YEAR, add_projects, build_world

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_leader_downloads_the_annual_report_of_each_period_in_both_formats(client, world):
    client.force_login(world.leader)
    for period in (Period(YEAR), Period(YEAR, half=1), Period(YEAR, quarter=3)):
        pdf = client.get(reverse("reports:annual", args=[world.province.code, period.slug, "pdf"]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert (
            f'filename="bao-cao-khuyen-cong-{world.province.code.lower()}-{period.slug}.pdf"'
            in pdf["Content-Disposition"]
        )
    xlsx = client.get(reverse("reports:annual", args=[world.province.code, YEAR, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    assert xlsx.content.startswith(b"PK")


def test_another_provinces_report_answers_404(client, world):
    client.force_login(world.other_officer)
    response = client.get(reverse("reports:annual", args=[world.province.code, YEAR, "pdf"]))
    assert response.status_code == 404
    response = client.get(reverse("reports:programme", args=[world.programme.pk, "xlsx"]))
    assert response.status_code == 404


def test_only_national_users_get_the_national_report(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("reports:national", args=[YEAR, "xlsx"])).status_code == 404
    client.force_login(world.ministry)
    response = client.get(reverse("reports:national", args=[YEAR, "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX


def test_ministry_may_download_any_provinces_report(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("reports:annual", args=[world.province.code, f"{YEAR}-q2", "xlsx"]))
    assert response.status_code == 200


def test_project_list_uses_the_staff_list_filter_and_stays_in_the_users_province(client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.leader)
    response = client.get(reverse("reports:projects", args=["xlsx"]), {"year": YEAR, "status": "in_progress"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["Danh sách đề án"]
    codes = {row[1].value for row in ws.iter_rows(min_row=6) if row[1].value and row[1].value != "Tổng cộng"}
    expected = {
        p.code
        for p in world.projects
        if p.province_id == world.province.pk and p.plan.year == YEAR and p.status == "in_progress"
    }
    assert codes - {None} == expected
    assert "Trạng thái: Đang thực hiện" in ws["A3"].value


def test_support_history_downloads(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("reports:support_history", args=["pdf"]), {"year": YEAR})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_unknown_period_or_format_is_404(client, world):
    client.force_login(world.leader)
    assert client.get(f"/bao-cao/ke-hoach/{world.province.code}/{YEAR}-q7.pdf").status_code == 404
    assert client.get(f"/bao-cao/ke-hoach/{world.province.code}/{YEAR}.doc").status_code == 404


def test_downloads_need_login(client, world):
    response = client.get(reverse("reports:annual", args=[world.province.code, YEAR, "pdf"]))
    assert response.status_code == 302


def test_index_offers_a_button_per_period_and_format(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("reports:index"), {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    for period in Period.all_of_year(YEAR):
        for fmt in ("pdf", "xlsx"):
            assert reverse("reports:annual", args=[world.province.code, period.slug, fmt]) in body
    assert reverse("reports:programme", args=[world.programme.pk, "pdf"]) in body
    assert "toan-quoc" not in body


def test_index_without_a_choice_shows_the_year_it_lists(client, world):
    """The world has plans of YEAR only: the page lists YEAR, its drop-down says YEAR, "Xem" stays there."""
    client.force_login(world.leader)
    response = client.get(reverse("reports:index"))
    body = response.content.decode()
    assert response.context["year"] == YEAR
    assert f'<option value="{YEAR}" selected>{YEAR}</option>' in body
    assert reverse("reports:annual", args=[world.province.code, str(YEAR), "pdf"]) in body
    assert f"khuyến công năm {YEAR}" in body


def test_dashboard_shows_the_year_at_a_glance(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.province == world.province
    assert board.project_count == sum(
        1 for p in world.projects if p.province_id == world.province.pk and p.plan.year == YEAR
    )
    body = response.content.decode()
    assert "Việc của tôi" in body and "<svg" in body and "<progress" in body


def test_ministry_dashboard_has_a_row_per_province(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("reports:dashboard"), {"year": YEAR})
    board = response.context["board"]
    from places.models import AdministrativeUnit

    assert board.national and len(board.provinces) == AdministrativeUnit.objects.current().provinces().count()
    assert {world.province.pk, world.other.pk} <= {r.province_id for r in board.provinces}
    assert board.province_totals.planned == board.totals.planned


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_ministry_dashboard_page_runs_a_fixed_number_of_queries_whatever_the_data(client, db):
    world = build_world(n_projects=6, seed=3)
    client.force_login(world.ministry)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    few = _count(lambda: client.get(url))
    add_projects(world, 40, random.Random(5))  # many more đề án, beneficiaries, outputs and money records
    assert _count(lambda: client.get(url)) == few


def test_year_at_a_glance_runs_a_fixed_number_of_queries_whatever_the_data(db):
    # The aggregates alone, for a leader whose user object holds no cached roles or province.
    from reports.selectors import dashboard

    world = build_world(n_projects=6, seed=3)
    fresh = type(world.leader).objects.get  # a user object without cached roles or province each time
    few = _count(lambda: dashboard(fresh(pk=world.leader.pk), year=YEAR))
    add_projects(world, 40, random.Random(5))
    assert _count(lambda: dashboard(fresh(pk=world.leader.pk), year=YEAR)) == few


def test_leader_dashboard_page_with_my_tasks_runs_a_fixed_number_of_queries(client, db):
    world = build_world(n_projects=6, seed=3)
    client.force_login(world.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    few = _count(lambda: client.get(url))
    add_projects(world, 40, random.Random(5))
    assert _count(lambda: client.get(url)) == few


def test_dashboard_lists_the_first_tasks_of_each_kind_and_counts_the_rest(client, world, monkeypatch):
    from projects.models import Advance
    from projects.selectors import tasks_for
    from reports import views
    from tests.factories import source

    # Advances waiting on the leader's decision, more than the dashboard lists.
    for n, project in enumerate(p for p in world.projects if p.province_id == world.province.pk):
        if n == 4:
            break
        Advance.objects.create(
            project=project,
            source=source("kcdp"),
            tranche=9,
            amount=1_000_000,
            status=Advance.Status.REQUESTED,
            requested_by=world.leader,
        )
    tasks = tasks_for(world.leader)
    assert len(tasks.advances_to_decide) > 2
    monkeypatch.setattr(views, "TASKS_SHOWN", 2)
    client.force_login(world.leader)
    body = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()
    listed = body.split('<ul class="tasks">', 1)[1].split("</ul>", 1)[0]
    kinds = (tasks.projects, tasks.overdue_reports, tasks.advances_to_decide)
    assert listed.count("<li") == sum(min(2, len(items)) for items in kinds)
    assert f"… và {tasks.count - listed.count('<li')} việc khác" in body
    # Read with a limit (as the dashboard does), the same counts and the same first items.
    limited = tasks_for(world.leader, limit=2)
    assert limited.count == tasks.count
    assert (limited.projects_count, limited.advances_count) == (
        len(tasks.projects),
        len(tasks.advances_to_decide),
    )
    assert (
        limited.projects == tasks.projects[:2] and limited.advances_to_decide == tasks.advances_to_decide[:2]
    )
