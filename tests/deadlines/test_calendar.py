"""Deadlines: the calendar page of each person and the private, revocable iCalendar feed."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Certification
from deadlines.models import CalendarFeed
from deadlines.selectors import deadlines_for
from tests.factories import BeneficiaryFactory
from tests.projects.conftest import project_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world):
    running = project_in(world.own.plan, "in_progress")  # plan of 2025
    accepted = project_in(world.own.plan, "accepted")
    foreign = project_in(world.other.plan, "in_progress")
    cert = Certification.objects.create(
        beneficiary=BeneficiaryFactory(province=world.own.unit, name="Cơ sở Giỏ mây"),
        scheme="ocop",
        product_name="Giỏ mây",
        stars=3,
        year=2023,
        expires_on=datetime.date(2025, 12, 31),
    )
    return running, accepted, foreign, cert


def test_the_deadlines_of_a_province_s_work(world, work):
    running, accepted, foreign, _cert = work
    items = deadlines_for(world.user(Role.CENTRE), datetime.date(2025, 6, 1), datetime.date(2026, 1, 31))
    titles = [(d.day, d.kind, d.title) for d in items]
    assert (
        datetime.date(2025, 6, 20),
        "plan",
        "Hạn gửi danh mục đề án khuyến công quốc gia năm 2026 lên Cục",
    ) in titles
    progress = [d for d in items if d.kind == "progress"]
    assert [d.day for d in progress] == [datetime.date(2025, m, 25) for m in range(6, 13)] + [
        datetime.date(2026, 1, 25)
    ]
    assert all(running.code in d.title for d in progress)
    closures = {d.uid for d in items if d.kind == "closure"}
    assert closures == {f"closure-{running.pk}", f"closure-{accepted.pk}"}
    assert all(d.day == datetime.date(2026, 1, 22) for d in items if d.kind == "closure")
    assert [d.title for d in items if d.kind == "certification"] == [
        "Hết hiệu lực chứng nhận OCOP «Giỏ mây» của Cơ sở Giỏ mây"
    ]
    assert not any(foreign.code in d.title for d in items)
    assert deadlines_for(world.ministry, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == []


def test_the_calendar_page_and_the_feed_are_private_and_revocable(client, world, work):
    assert client.get(reverse("deadlines:calendar")).status_code == 302
    officer = world.user(Role.OFFICER)
    client.force_login(officer)
    assert client.get(reverse("deadlines:calendar")).status_code == 200
    client.post(reverse("deadlines:calendar"), {"action": "renew"})
    token = CalendarFeed.objects.get(user=officer).token
    assert len(token) >= 40
    client.logout()
    url = reverse("deadlines:feed", kwargs={"token": token})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len({str(e["uid"]) for e in events}) == len(events)  # stable, unique ids
    assert all(isinstance(e.decoded("dtstart"), datetime.date) for e in events)
    assert client.get(reverse("deadlines:feed", kwargs={"token": "doan-bua"})).status_code == 404
    client.force_login(officer)
    client.post(reverse("deadlines:calendar"), {"action": "renew"})
    assert client.get(url).status_code == 404  # the old address stopped working
    new = CalendarFeed.objects.get(user=officer).token
    assert client.get(reverse("deadlines:feed", kwargs={"token": new})).status_code == 200
    client.post(reverse("deadlines:calendar"), {"action": "revoke"})
    assert client.get(reverse("deadlines:feed", kwargs={"token": new})).status_code == 404


def test_a_deactivated_person_s_feed_stops(client, world, work):
    officer = world.user(Role.OFFICER)
    feed = CalendarFeed.objects.create(user=officer)
    officer.is_active = False
    officer.save()
    assert client.get(reverse("deadlines:feed", kwargs={"token": feed.token})).status_code == 404
