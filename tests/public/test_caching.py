"""The public pages are computed once per version of the published data and served from the server's cache
until a committed change (an approval, an output, a renamed beneficiary) raises the version."""

import datetime
import os
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from projects.models import ProjectStatus
from projects.services import project_approve
from public import freshness
from tests.projects.conftest import build_world, project_in

pytestmark = pytest.mark.django_db

S = ProjectStatus


def _approve(world, project):
    project_approve(
        actor=world.user(Role.LEADER),
        project=project,
        decision_number="77/QĐ-SCT",
        decision_date=datetime.date(2025, 3, 2),
    )


def test_second_request_is_served_from_the_cache_with_one_query(published, django_assert_num_queries):
    client = Client()
    first = client.get("/cong-khai/", {"nam": 2025})
    assert first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data versions, nothing else
        again = client.get("/cong-khai/", {"nam": 2025})
    assert again["X-Public-Cache"] == "hit"
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    # Another year, language or province is another entry.
    assert client.get("/cong-khai/", {"nam": 2025, "lang": "en"})["X-Public-Cache"] == "miss"
    assert client.get("/cong-khai/", {"nam": 2024})["X-Public-Cache"] == "miss"
    # A parameter no public page reads does not make a new entry.
    assert client.get("/cong-khai/", {"nam": 2025, "x": "1"})["X-Public-Cache"] == "hit"


def test_cached_downloads_keep_their_file_name_and_type(published):
    client = Client()
    url = "/cong-khai/du-lieu-mo/de-an.csv"
    first = client.get(url, {"nam": 2025, "tinh": published.province.code})
    again = client.get(url, {"nam": 2025, "tinh": published.province.code})
    assert again["X-Public-Cache"] == "hit" and again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"


# These tests commit for real (as the portal does), so the version is raised by the commit itself.
@pytest.mark.django_db(transaction=True)
def test_cached_pages_change_after_a_project_is_approved():
    world = build_world()
    project = project_in(world.own.plan, S.APPRAISING, title="Đề án mới duyệt Zorbulon")
    province_url = f"/cong-khai/tinh/{world.own.unit.code}/2025/"
    client = Client()
    pages = {url: client.get(url, {"nam": 2025}) for url in ("/cong-khai/", province_url)}
    assert b"Zorbulon" not in pages[province_url].content
    assert client.get(province_url, {"nam": 2025})["X-Public-Cache"] == "hit"

    _approve(world, project)

    after = client.get(province_url, {"nam": 2025})
    assert after["X-Public-Cache"] == "miss" and b"Zorbulon" in after.content
    national = client.get("/cong-khai/", {"nam": 2025})
    assert national["X-Public-Cache"] == "miss"
    row = next(r for r in national.context["picture"].rows if r.province == world.own.unit)
    assert row.projects == 1
    assert client.get(province_url, {"nam": 2025})["X-Public-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_write_is_seen_only_after_commit_and_a_rolled_back_one_never():
    world = build_world()
    project = project_in(world.own.plan, S.IN_PROGRESS)
    before = freshness.versions()
    with transaction.atomic():
        project.sites.clear()
        project.budget_lines.first().save()
        project.outputs.first().save()
        assert freshness.versions() == before  # not before the commit
    scope = freshness.province_scope(project.province_id)
    assert freshness.versions() == {**before, scope: before.get(scope, 0) + 1}  # once, for its province

    with pytest.raises(RuntimeError), transaction.atomic():
        project.budget_lines.first().save()
        raise RuntimeError
    assert freshness.versions() == {**before, scope: before.get(scope, 0) + 1}


@pytest.mark.django_db(transaction=True)
def test_writes_on_unpublished_projects_keep_the_version():
    world = build_world()
    draft = project_in(world.own.plan, S.DRAFT)
    before = freshness.versions()
    draft.title = "Dự thảo sửa"
    draft.save()
    draft.budget_lines.first().save()
    draft.sites.clear()
    assert freshness.versions() == before


@pytest.mark.django_db(transaction=True)
def test_a_page_cached_by_one_worker_is_not_served_by_another_after_a_change():
    """Several processes with caches of their own (the default) or one shared: either way the key carries
    the data versions read from the database, so no worker answers with a page older than the last commit."""
    world = build_world()
    project = project_in(world.own.plan, S.IN_PROGRESS)
    client = Client()
    client.get("/cong-khai/", {"nam": 2025})
    assert client.get("/cong-khai/", {"nam": 2025})["X-Public-Cache"] == "hit"
    project.budget_lines.update(amount=1)  # bypasses the models: only the time limit catches it
    assert client.get("/cong-khai/", {"nam": 2025})["X-Public-Cache"] == "hit"
    caches["public"].clear()  # as if another worker, with a cache of its own, answered
    assert client.get("/cong-khai/", {"nam": 2025})["X-Public-Cache"] == "miss"
    project.budget_lines.first().save()
    assert client.get("/cong-khai/", {"nam": 2025})["X-Public-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_an_approval_leaves_other_provinces_pages_cached_and_the_national_page_reads_one_province_again():
    world = build_world()
    mine = project_in(world.own.plan, S.APPRAISING)
    theirs = project_in(world.other.plan, S.IN_PROGRESS, title="Đề án láng giềng Quuxwick")
    client = Client()
    other_url = f"/cong-khai/tinh/{world.other.unit.code}/2025/"
    assert b"Quuxwick" in client.get(other_url).content
    client.get("/cong-khai/", {"nam": 2025})

    _approve(world, mine)

    assert client.get(other_url)["X-Public-Cache"] == "hit"
    assert client.get(f"/cong-khai/tinh/{world.own.unit.code}/2025/")["X-Public-Cache"] == "miss"
    # The national page again: the versions, the page's own queries, and one province's three figures.
    with CaptureQueriesContext(connection) as captured:
        national = client.get("/cong-khai/", {"nam": 2025})
    assert national["X-Public-Cache"] == "miss"
    figure_queries = [q["sql"] for q in captured.captured_queries if '"province_id" IN' in q["sql"]]
    assert len(figure_queries) == 3 and all(f"IN ({world.own.unit.pk})" in q for q in figure_queries)
    rows = {r.province: r.projects for r in national.context["picture"].rows}
    assert rows[world.own.unit] == 1 and rows[world.other.unit] == 1
    assert theirs.province_id == world.other.unit.pk


@override_settings(PUBLIC_CONTENT_CACHE_SECONDS=0)
def test_entries_expire_after_the_stated_time(published):
    client = Client()
    client.get("/cong-khai/", {"nam": 2025})
    assert client.get("/cong-khai/", {"nam": 2025})["X-Public-Cache"] == "miss"


SHARED_CACHES = {
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "public_cache_test"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", ""),
        "KEY_PREFIX": f"kc-public-test-{uuid.uuid4().hex[:8]}",
    },
}


@pytest.mark.parametrize("backend", sorted(SHARED_CACHES))
def test_a_shared_cache_serves_every_worker_and_follows_the_version(published, backend, settings):
    """With several workers the cache is shared (Redis with REDIS_URL, or a database table): a page one
    worker computed is served to the others from there, until the published data changes."""
    if backend == "redis" and not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set (CI runs this with a redis-server of its own)")
    settings.CACHES = {**settings.CACHES, "public": SHARED_CACHES[backend]}
    if backend == "database":
        call_command("createcachetable", "public_cache_test", verbosity=0)
    try:
        caches["public"].clear()
        url = f"/cong-khai/tinh/{published.province.code}/2025/"
        assert Client().get(url)["X-Public-Cache"] == "miss"
        if backend == "database":
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM public_cache_test")
                assert cursor.fetchone()[0] >= 1  # stored outside the process
        assert Client().get(url)["X-Public-Cache"] == "hit"
        freshness.bump(freshness.province_scope(published.province.pk))  # what a commit does
        again = Client().get(url)
        assert again["X-Public-Cache"] == "miss" and published.shown.title.encode() in again.content
    finally:
        caches["public"].clear()
