"""The audit trail: money, statuses, users and permissions are attributable (who, when, old, new)."""

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import GROUP_NAMES, Role
from khuyencong.audit import project_audit_trail
from projects.models import BudgetLine
from tests.factories import BudgetLineFactory, content, source


def last_entry(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-pk").first()


def test_a_changed_amount_records_who_when_the_old_and_the_new_value(world):
    officer = world.own.users[Role.OFFICER]
    line = world.own.project.budget_lines.get()
    with set_actor(officer):
        line.amount = 150_000_000
        line.save()
    entry = last_entry(line)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == officer
    assert entry.timestamp is not None
    assert entry.changes_dict["amount"] == [123_456_789, 150_000_000]


def test_a_status_change_is_recorded_with_its_old_and_new_value(world):
    project = world.own.project
    with set_actor(world.own.users[Role.OFFICER]):
        project.transition_to("submitted")
        project.save()
    assert last_entry(project).changes_dict["status"] == ["draft", "submitted"]


def test_the_actor_of_a_request_is_taken_from_the_logged_in_user(client, world):
    officer = world.own.users[Role.OFFICER]
    project = world.own.project
    client.force_login(officer)
    response = client.post(reverse("projects:step", args=[project.pk, "submit"]), {})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "submitted"
    entry = last_entry(project)
    assert entry.actor == officer
    assert entry.changes_dict["status"] == ["draft", "submitted"]


def test_role_and_permission_changes_are_recorded(world):
    admin = world.admin
    officer = world.own.users[Role.OFFICER]
    leader_group = Group.objects.get(name=GROUP_NAMES[Role.LEADER])
    with set_actor(admin):
        officer.groups.add(leader_group)
        officer.is_staff = True
        officer.save()
        leader_group.permissions.add(Permission.objects.get(codename="delete_project"))
    user_entries = LogEntry.objects.get_for_object(officer).filter(actor=admin)
    assert any(e.changes_dict.get("is_staff") == [False, True] for e in user_entries)
    assert any("groups" in e.changes_dict for e in user_entries)
    group_entry = LogEntry.objects.get_for_object(leader_group).filter(actor=admin).last()
    assert "permissions" in group_entry.changes_dict
    # Password hashes never enter the log.
    with set_actor(admin):
        officer.set_password("Mat-Khau-Moi-2026")
        officer.save()
    assert all("password" not in e.changes_dict for e in LogEntry.objects.get_for_object(officer))


def test_the_trail_of_a_project_holds_its_money_records_even_deleted_ones(world):
    project = world.own.project
    officer = world.own.users[Role.OFFICER]
    with set_actor(officer):
        extra = BudgetLineFactory(
            project=project, source=source("kcdp"), content=content(1), amount=7_000_000
        )
        extra.amount = 8_000_000
        extra.save()
        extra_pk = extra.pk
        extra.delete()
    trail = list(project_audit_trail(project))
    mine = [e for e in trail if e.content_type.model == "budgetline" and e.object_pk == str(extra_pk)]
    assert [e.action for e in mine] == [
        LogEntry.Action.DELETE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.CREATE,
    ]
    # The other province's records are not part of this trail.
    other_line = BudgetLine.objects.get(project=world.other.project)
    with set_actor(officer):
        other_line.amount = 1
        other_line.save()
    assert not any(
        e.content_type.model == "budgetline" and e.object_pk == str(other_line.pk)
        for e in project_audit_trail(project)
    )


def test_leadership_reads_the_trail_of_a_project(client, world):
    line = world.own.project.budget_lines.get()
    with set_actor(world.own.users[Role.OFFICER]):
        line.amount = 99_000_000
        line.save()
    client.force_login(world.own.users[Role.LEADER])
    page = client.get(reverse("project_audit", args=[world.own.project.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "99000000" in text and "123456789" in text
    assert world.own.users[Role.OFFICER].get_full_name() or world.own.users[Role.OFFICER].username in text


def test_audit_rows_cannot_be_added_changed_or_deleted_in_the_admin(client, world):
    line = world.own.project.budget_lines.get()
    with set_actor(world.admin):
        line.amount = 5
        line.save()
    entry = last_entry(line)
    client.force_login(world.admin)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {}).status_code == 403
    assert (
        client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert LogEntry.objects.filter(pk=entry.pk).exists()
