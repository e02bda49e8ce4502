"""A đề án moved on by a colleague while a page of it was open (as in an office: someone submits while you
have the list open). The user who may take that step on such a đề án is told who moved it, when, and that
nothing was written; what they typed is not dropped silently. A user who never takes it still gets 403."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from projects import services
from projects.models import Project, ProjectStatus, ProjectTransition, WorkflowAction
from tests.projects.conftest import make_user, project_in, ready_project

S = ProjectStatus
A = WorkflowAction


@pytest.fixture
def submitted_by_colleague(world):
    """A draft of the own province, submitted by a second officer of the Sở."""
    project = ready_project(world.own.plan)
    officer = world.user(Role.OFFICER)
    colleague = make_user(Role.OFFICER, officer.staff_profile.agency, "dongnghiep.own")
    colleague.first_name, colleague.last_name = "Lan", "Trần Thị"
    colleague.save()
    services.project_submit(actor=colleague, project=project)
    return project


def edit_data(project: Project, title: str) -> dict:
    return {
        "title": title,
        "code": project.code,
        "plan": project.plan_id,
        "shape": project.shape,
        "selection": project.selection,
        **{f"{p}-TOTAL_FORMS": "0" for p in ("beneficiaries", "budget", "outputs")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("beneficiaries", "budget", "outputs")},
    }


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_opening_the_edit_page_of_a_dean_a_colleague_submitted_leads_to_its_page_with_who_and_when(
    client, world, submitted_by_colleague
):
    project = submitted_by_colleague
    client.force_login(world.user(Role.OFFICER))
    response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    [message] = texts(response)
    assert "Trần Thị Lan đã thực hiện «Đăng ký (trình) đề án»" in message
    assert "nay ở trạng thái «Đã đăng ký»" in message or "không còn sửa đề án được nữa" in message
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "không còn sửa đề án được nữa" in page.content.decode()


def test_saving_edits_after_a_colleague_submitted_shows_them_again_unsaved_with_409(
    client, world, submitted_by_colleague
):
    project = submitted_by_colleague
    title = project.title
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:edit", args=[project.pk]), edit_data(project, "Tên sửa lúc chiều")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Tên sửa lúc chiều"' in html  # what was typed is still there to copy
    assert 'id="moved-on"' in html
    assert 'name="save"' not in html  # no save button that could only fail again
    assert "Chưa lưu gì: Trần Thị Lan đã thực hiện «Đăng ký (trình) đề án»" in html
    project.refresh_from_db()
    assert project.title == title
    assert project.status == S.SUBMITTED


def checked_too_early(monkeypatch, where: str, real):
    """The page's own check ran before the colleague's move committed: it said yes once."""
    calls = []

    def check(*args):
        calls.append(args)
        return True if len(calls) == 1 else real(*args)

    monkeypatch.setattr(where, check)


def test_a_submission_between_the_page_check_and_the_save_is_answered_the_same_way(
    client, world, monkeypatch, submitted_by_colleague
):
    """The colleague's submit commits after the view's check; the save locks the row and finds it."""
    from projects.permissions import can_edit_project

    project = submitted_by_colleague
    checked_too_early(monkeypatch, "projects.entry_views.can_edit_project", can_edit_project)
    client.force_login(world.user(Role.OFFICER))
    response = client.post(reverse("projects:edit", args=[project.pk]), edit_data(project, "Tên mới"))
    assert response.status_code == 409
    assert 'value="Tên mới"' in response.content.decode()
    project.refresh_from_db()
    assert project.title != "Tên mới"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_role_that_never_edits_still_gets_403_on_a_submitted_dean(client, world, method):
    project = project_in(world.own.plan, S.SUBMITTED)
    client.force_login(world.user(Role.LEADER))
    url = reverse("projects:edit", args=[project.pk])
    response = client.get(url) if method == "get" else client.post(url, edit_data(project, "x"))
    assert response.status_code == 403


def test_another_province_still_gets_404_on_a_submitted_dean(client, world, submitted_by_colleague):
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.get(reverse("projects:edit", args=[submitted_by_colleague.pk])).status_code == 404


def test_submitting_a_dean_a_colleague_already_submitted_redirects_with_a_message_and_writes_nothing(
    client, world, submitted_by_colleague
):
    project = submitted_by_colleague
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:step", args=[project.pk, A.SUBMIT]), {"submit-comment": "Kính trình lần hai"}
    )
    assert response.status_code == 302
    # The panel of what can be done now; the load test tells this answer from a done step by it.
    assert response["Location"] == reverse("projects:detail", args=[project.pk]) + "#steps"
    [message] = texts(response)
    assert message.startswith("Chưa ghi gì: Trần Thị Lan đã thực hiện «Đăng ký (trình) đề án»")
    assert "Ý kiến bạn đã nhập: «Kính trình lần hai»" in message
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_an_appraisal_sheet_sent_after_the_leader_approved_redirects_with_a_message(client, world):
    project = project_in(world.own.plan, S.APPROVED)
    sheets = list(project.appraisals.values_list("pk", "submitted_at", "comment"))
    client.force_login(world.user(Role.APPRAISER))
    response = client.post(
        reverse("projects:step", args=[project.pk, A.APPRAISE]),
        {"appraise-recommendation": "approve", "appraise-comment": "Đạt"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#steps")
    [message] = texts(response)
    assert "«Đã phê duyệt»" in message and "không còn thực hiện «Chấm phiếu thẩm định» được nữa" in message
    assert list(project.appraisals.values_list("pk", "submitted_at", "comment")) == sheets


def test_a_move_made_between_the_page_check_and_the_lock_redirects_the_same_way(
    client, world, monkeypatch, submitted_by_colleague
):
    from projects.permissions import can_take

    project = submitted_by_colleague
    checked_too_early(monkeypatch, "projects.views.can_take", can_take)
    client.force_login(world.user(Role.OFFICER))
    response = client.post(reverse("projects:step", args=[project.pk, A.SUBMIT]), {})
    assert response.status_code == 302
    assert response["Location"].endswith("#steps")
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_a_step_of_a_role_the_user_does_not_hold_stays_forbidden_in_any_status(client, world):
    project = project_in(world.own.plan, S.APPROVED)  # no longer approvable, and never by an officer
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:step", args=[project.pk, A.APPROVE]),
        {"approve-decision_number": "1/QĐ", "approve-decision_date": "01/06/2025"},
    )
    assert response.status_code == 403
