"""Two people write at the same moment, on SQLite (a file, as `make run` uses) as on PostgreSQL: writers
wait for each other, each gets a real answer, and a busy database is never shown as the outage page."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.roles import Role
from khuyencong.error_pages import is_database_busy, is_database_outage
from khuyencong.middleware import DatabaseUnavailableMiddleware
from projects.models import ProjectStatus, ProjectTransition
from tests.conftest import in_thread

from .conftest import make_user, ready_project

pytestmark = pytest.mark.django_db(transaction=True)


def post_at_once(requests: list[tuple]) -> list:
    """POST each (user, url, data) from its own thread, all released together; the responses in order."""
    responses: list = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def send(index, user, url, data):
        client = Client()
        client.force_login(user)
        start.wait(timeout=30)
        responses[index] = client.post(url, data)

    threads = [
        threading.Thread(target=lambda i=i, r=r: _closing(send, i, *r)) for i, r in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def _closing(function, *args):
    from django.db import connections

    try:
        function(*args)
    finally:
        connections.close_all()


def test_two_leaders_approving_at_once_one_approves_the_other_is_told_and_nobody_sees_an_outage(
    world, shared_database
):
    project = ready_project(world.own.plan, amount=300_000_000, status=ProjectStatus.APPRAISING)
    agency = world.user(Role.LEADER).staff_profile.agency
    leaders = [world.user(Role.LEADER), make_user(Role.LEADER, agency, "leader2.own")]
    shared_database()
    url = reverse("projects:step", args=[project.pk, "approve"])
    data = {
        "approve-decision_number": "88/QĐ-SCT",
        "approve-decision_date": "01/06/2025",
        "approve-acknowledge_double_support": "on",
    }
    responses = post_at_once([(leader, url, data) for leader in leaders])

    codes = sorted(r.status_code for r in responses)
    assert 503 not in codes and 500 not in codes, [r.content.decode()[:300] for r in responses]
    # One approves; the other is sent to the đề án's panel of steps, told who approved it and when.
    assert codes == [302, 302]
    places = sorted(r["Location"] for r in responses)
    detail = reverse("projects:detail", args=[project.pk])
    assert places == [detail, detail + "#steps"]
    loser = next(r for r in responses if r["Location"].endswith("#steps"))
    [told] = [str(m) for m in get_messages(loser.wsgi_request)]
    assert told.startswith("Chưa ghi gì: ") and "đã thực hiện «Phê duyệt»" in told

    def outcome():
        project.refresh_from_db()
        return project.status, ProjectTransition.objects.filter(project=project, action="approve").count()

    assert in_thread(outcome) == (ProjectStatus.APPROVED, 1)


def test_a_lock_that_outlasts_the_wait_is_busy_not_an_outage():
    request = RequestFactory().post("/de-an/1/buoc/approve/")
    locked = OperationalError("database is locked")
    assert is_database_busy(locked) and not is_database_outage(locked)
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, locked)
    page = response.content.decode()
    assert response.status_code == 503 and "Hệ thống đang bận" in page
    assert "không kết nối được cơ sở dữ liệu" not in page
    away = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    assert is_database_outage(away) and not is_database_busy(away)
    page = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, away).content.decode()
    assert "không kết nối được cơ sở dữ liệu" in page


def test_sqlite_writers_wait_for_each_other(settings):
    """The portal's SQLite options: immediate transactions and a busy timeout (Django 5.1+)."""
    from django.conf import settings as django_settings

    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = django_settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


def test_two_new_deans_of_a_province_saved_at_the_same_moment_get_different_numbers(world, shared_database):
    """The number of a new đề án is the province's largest of the year plus one: while one save holds it (and
    has not committed), a colleague's save waits for it instead of taking the same number (which used to end
    in a 500 on the unique code)."""
    from django.db import connection, connections, transaction

    from projects.models import Project
    from projects.services.entry import _next_code
    from tests.projects.test_views import entry_data

    plan = world.own.plan
    data = entry_data(world)
    officer = world.user(Role.OFFICER)
    shared_database()
    numbered, release, answer = threading.Event(), threading.Event(), {}

    def first_save():
        try:
            with transaction.atomic():
                code = _next_code(plan)
                Project.objects.filter(pk=ready_project(plan).pk).update(code=code)
                numbered.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    def second_save():
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        answer["response"] = client.post(reverse("projects:create"), data)

    def waiting_for_a_lock() -> bool:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            return cursor.fetchone()[0] > 0

    first = threading.Thread(target=first_save)
    first.start()
    assert numbered.wait(timeout=30)
    second = threading.Thread(target=lambda: _closing(second_save))
    second.start()
    # The colleague's save gets as far as it can while the first one holds its number: on PostgreSQL until
    # it waits for a lock (before the fix: on the unique code, after taking the same number); SQLite lets one
    # writer at a time anyway.
    for _ in range(200 if connection.vendor == "postgresql" else 10):  # SQLite: shorter than its busy wait
        if not second.is_alive() or (connection.vendor == "postgresql" and in_thread(waiting_for_a_lock)):
            break
        second.join(timeout=0.1)
    release.set()
    first.join(timeout=30)
    second.join(timeout=60)

    response = answer["response"]
    assert response.status_code == 302, response.content.decode()[:500]
    codes = in_thread(lambda: sorted(Project.objects.filter(plan=plan).values_list("code", flat=True)))
    assert len(codes) == len(set(codes)) == 2, codes
