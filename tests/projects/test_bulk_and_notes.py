"""Several đề án or advances at once: each goes through its own service (checked, audited), and the page
says what was done and what was refused; internal notes stay within the đề án's province."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from projects.models import Advance, ProjectNote, ProjectStatus, ProjectTransition
from projects.services import advance_request
from projects.services.bulk import projects_take_step
from tests.factories import source
from tests.projects.conftest import project_in

S = ProjectStatus
pytestmark = pytest.mark.django_db


def test_submitting_several_drafts_moves_the_ready_ones_and_explains_the_others(client, world):
    ready = [project_in(world.own.plan, S.DRAFT, title=f"Đề án sẵn sàng {n}") for n in (1, 2)]
    incomplete = project_in(world.own.plan, S.DRAFT, title="Đề án thiếu dự toán")
    incomplete.budget_lines.all().delete()
    already = project_in(world.own.plan, S.SUBMITTED, title="Đề án đã đăng ký")
    theirs = project_in(world.other.plan, S.DRAFT, title="Đề án tỉnh khác")
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:list")).content.decode()
    assert 'id="bulk-form"' in page and f'name="projects" value="{ready[0].pk}"' in page
    ids = [p.pk for p in (*ready, incomplete, already, theirs)]
    response = client.post(
        reverse("projects:bulk_step"), {"action": "submit", "projects": ids, "comment": "Trình hàng loạt"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã thực hiện 2, không thực hiện được 2." in body
    assert "1 mục không tìm thấy trong phạm vi của bạn." in body
    assert theirs.title not in body
    refused = body.split('class="bulk-refused"', 1)[1]
    assert incomplete.title in refused and already.title in refused
    assert "Trạng thái hiện tại không cho phép bước này." in refused
    for project in ready:
        project.refresh_from_db()
        assert project.status == S.SUBMITTED
        transition = ProjectTransition.objects.get(project=project, action="submit")
        assert transition.actor == world.user(Role.OFFICER) and transition.comment == "Trình hàng loạt"
    incomplete.refresh_from_db()
    theirs.refresh_from_db()
    assert incomplete.status == S.DRAFT and theirs.status == S.DRAFT
    # The same form posted again acts on nothing: every đề án has moved on.
    again = client.post(reverse("projects:bulk_step"), {"action": "submit", "projects": ids}).content.decode()
    assert "Đã thực hiện 0, không thực hiện được 4." in again
    assert ProjectTransition.objects.filter(action="submit").count() == 2


def test_an_officer_cannot_approve_in_bulk(world):
    project = project_in(world.own.plan, S.APPRAISING)
    [outcome] = projects_take_step(
        actor=world.user(Role.OFFICER),
        projects=[project],
        action="approve",
        decision_number="1/QĐ",
        decision_date=datetime.date(2025, 3, 1),
    )
    assert not outcome.done and "không có quyền" in outcome.reason


def test_the_leader_decides_several_advances_with_one_decision_date(client, world, advance_rules):
    centre = world.user(Role.CENTRE)
    projects = [project_in(world.own.plan, S.IN_PROGRESS, amount=100_000_000) for _ in range(3)]
    advances = [
        advance_request(actor=centre, project=p, source=source("kcdp"), amount=20_000_000) for p in projects
    ]
    advances[2].status = Advance.Status.APPROVED
    advances[2].save()
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:advances")).content.decode()
    assert projects[0].title in page and 'name="decision" value="reject"' in page
    response = client.post(
        reverse("projects:advances"),
        {"advances": [a.pk for a in advances], "decision": "approve", "decision_date": "15/12/2025"},
    )
    body = response.content.decode()
    assert "Đã thực hiện 2" in body
    assert re.search(r"1 mục không tìm thấy", body)  # the approved one is no longer waiting
    for advance in advances[:2]:
        advance.refresh_from_db()
        assert advance.status == Advance.Status.APPROVED
        assert advance.decision_date == datetime.date(2025, 12, 15)


def test_internal_notes_are_seen_by_staff_of_the_province_only(client, world):
    project = project_in(world.own.plan, S.SUBMITTED)
    client.force_login(world.user(Role.OFFICER))
    response = client.post(reverse("projects:note", args=[project.pk]), {"text": "Gọi lại cơ sở thứ Hai."})
    assert response.status_code == 302
    note = ProjectNote.objects.get()
    assert note.author == world.user(Role.OFFICER)
    detail = reverse("projects:detail", args=[project.pk])
    client.force_login(world.user(Role.CENTRE))
    assert "Gọi lại cơ sở thứ Hai." in client.get(detail).content.decode()
    client.force_login(world.user(Role.MINISTRY))
    page = client.get(detail).content.decode()
    assert "Gọi lại cơ sở thứ Hai." not in page and "Ghi chú nội bộ" not in page
    response = client.post(reverse("projects:note", args=[project.pk]), {"text": "Bộ ghi"})
    assert ProjectNote.objects.count() == 1
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.post(reverse("projects:note", args=[project.pk]), {"text": "x"}).status_code == 404
    assert ProjectNote.objects.count() == 1


def test_a_note_leaves_an_audit_row_that_stays_out_of_the_trail_others_read(client, world):
    from auditlog.models import LogEntry

    from khuyencong.audit import project_audit_trail

    project = project_in(world.own.plan, S.SUBMITTED)
    client.force_login(world.user(Role.OFFICER))
    client.post(reverse("projects:note", args=[project.pk]), {"text": "Gọi lại cơ sở thứ Ba."})
    note = ProjectNote.objects.get()
    entry = LogEntry.objects.get_for_object(note).get()
    assert entry.actor == world.user(Role.OFFICER) and "Gọi lại cơ sở thứ Ba." in str(entry.changes)
    # The đề án's trail is read by the Ministry, which does not see the province's internal notes.
    assert not project_audit_trail(project).filter(pk=entry.pk).exists()
