"""The daily digest: what is overdue and due soon for each person's role, once per item and day, in
Vietnamese; each person can turn kinds of e-mail off."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from projects.models import ProjectStatus
from projects.services import advance_request, project_submit
from reminders.models import EmailPreference, ReminderSent
from reminders.services import items_for, reminders_send
from tests.factories import source
from tests.projects.conftest import project_in

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 20)  # the May report is due on the 25th: within the week


def test_the_centre_is_reminded_of_overdue_and_soon_due_monthly_reports(world):
    running = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    items = items_for(world.user(Role.CENTRE), today=DAY)
    overdue = [i.key for i in items if i.overdue]
    soon = [i.key for i in items if not i.overdue]
    assert overdue == [f"report:{running.pk}:2025-03", f"report:{running.pk}:2025-04"]
    assert f"report:{running.pk}:2025-05" in soon
    texts = " ".join(i.text for i in items)
    assert "quá hạn" in texts and "đến hạn ngày 25/05/2025" in texts
    # Another province's officer and the Ministry are not reminded of it.
    assert items_for(world.user(Role.CENTRE, "other"), today=DAY) == []
    assert items_for(world.ministry, today=DAY) == []


def test_the_digest_goes_once_per_item_and_day(world, advance_rules, django_capture_on_commit_callbacks):
    running = project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    advance_request(actor=world.user(Role.CENTRE), project=running, source=source("kcdp"), amount=1_000)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=DAY)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "centre.own@example.vn" in by_person and "leader.own@example.vn" in by_person
    centre = by_person["centre.own@example.vn"]
    assert centre.subject.startswith("[Khuyến công] Nhắc việc ngày 20/05/2025: 2 quá hạn")
    assert "báo cáo tiến độ tháng 03/2025 quá hạn" in centre.body
    assert "tạm ứng lần" in by_person["leader.own@example.vn"].body
    assert first.emails == len(mail.outbox) and first.skipped == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(today=DAY)  # a second timer, or someone running it by hand
    assert mail.outbox == [] and again.emails == 0 and again.skipped == first.items
    assert ReminderSent.objects.filter(day=DAY).count() == first.items

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-05-21", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {m.to[0] for m in mail.outbox} == set(by_person)  # a new day, a new digest


def test_a_person_who_turned_reminders_off_gets_none(world, django_capture_on_commit_callbacks):
    project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    EmailPreference.objects.create(user=world.user(Role.CENTRE), reminders=False)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=DAY)
    assert "centre.own@example.vn" not in {m.to[0] for m in mail.outbox}


def test_dry_run_sends_and_records_nothing(world):
    project_in(world.own.plan, ProjectStatus.IN_PROGRESS)
    summary = reminders_send(today=DAY, dry_run=True)
    assert summary.items > 0 and mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_person_who_turned_workflow_mail_off_is_not_told_of_a_move(
    world, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=world.user(Role.LEADER), workflow=False)
    project = project_in(world.own.plan, ProjectStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        project_submit(actor=world.user(Role.OFFICER), project=project)
    assert mail.outbox == []


def test_the_preferences_page_saves_the_choice(client, world):
    user = world.user(Role.CENTRE)
    client.force_login(user)
    page = client.get("/thu-nhac-viec/")
    assert page.status_code == 200 and "thư nhắc việc hằng ngày" in page.content.decode().lower()
    response = client.post("/thu-nhac-viec/", {"workflow": "on"})
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=user)
    assert (preference.reminders, preference.workflow) == (False, True)
