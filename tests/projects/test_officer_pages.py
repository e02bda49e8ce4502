"""An officer's day without traps: steps that end or turn back a đề án set apart with their consequence,
the expected step first, the landing on "Việc của tôi", task lines by title, the advance limit shown."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from projects.models import ProjectStatus
from projects.services import progress_report_submit
from tests.projects.conftest import project_in

S = ProjectStatus


def steps_in_order(page: str) -> list[tuple[str, str]]:
    """(action, summary classes) of each step on the page, in page order."""
    return re.findall(
        r'<details class="step [^"]*"[^>]* id="step-([a-z_]+)">\s*<summary class="([^"]*)"', page
    )


def test_a_draft_offers_submitting_first_and_withdrawing_apart_with_its_consequence(client, world):
    project = project_in(world.own.plan, S.DRAFT)
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    steps = steps_in_order(page)
    assert steps[0] == ("submit", "btn btn-primary")
    assert steps[-1] == ("withdraw", "btn btn-danger")
    assert "Rút đề án là kết thúc" in page
    assert re.search(r'data-confirm="Rút đề án là kết thúc[^"]*Tiếp tục\?"', page)
    assert "btn-danger-solid" in page


def test_under_appraisal_the_leader_sees_approval_first_and_rejection_as_irreversible(client, world):
    project = project_in(world.own.plan, S.APPRAISING)
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    steps = dict(steps_in_order(page))
    order = [action for action, _classes in steps_in_order(page)]
    assert order[0] == "approve" and steps["approve"] == "btn btn-primary"
    assert steps["return"] == "btn btn-caution" and steps["reject"] == "btn btn-danger"
    assert order.index("return") < order.index("reject")
    assert "Không phê duyệt là kết thúc" in page


def test_a_just_started_dean_expects_its_monthly_report_not_its_acceptance(client, world):
    today = timezone.localdate()
    project = project_in(
        world.own.plan,
        S.IN_PROGRESS,
        start_date=today.replace(day=1),
        end_date=today + datetime.timedelta(days=200),
    )
    centre = world.user(Role.CENTRE)
    client.force_login(centre)
    steps = dict(steps_in_order(client.get(reverse("projects:detail", args=[project.pk])).content.decode()))
    assert steps["report_progress"] == "btn btn-primary"
    assert steps["accept"] == "btn"
    progress_report_submit(
        actor=centre, project=project, month=today.replace(day=1), percent_complete=100, summary="Xong."
    )
    steps = dict(steps_in_order(client.get(reverse("projects:detail", args=[project.pk])).content.decode()))
    assert steps["accept"] == "btn btn-primary"


def test_login_lands_on_my_tasks_with_counts_and_titles(client, world):
    project = project_in(world.own.plan, S.SUBMITTED, title="Đào tạo nghề mây tre đan Phong Điền")
    officer = world.user(Role.OFFICER)
    for next_url in ("", "/"):
        response = client.post(
            reverse("accounts:login") + (f"?next={next_url}" if next_url else ""),
            {"username": officer.username, "password": "MatKhau@12345"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("reports:dashboard")
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Việc của tôi" in page
    assert re.search(r"<strong>1</strong> đề án chờ bạn xử lý", page)
    assert f">{project.title}</a>" in page


def test_the_advance_form_shows_the_limit_before_submitting(client, world, advance_rules):
    project = project_in(world.own.plan, S.IN_PROGRESS, amount=300_000_000)
    client.force_login(world.user(Role.CENTRE))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "tối đa 30% của 300.000.000 đồng = 90.000.000 đồng" in page
    assert "còn được đề nghị 90.000.000 đồng" in page


def test_names_are_written_family_name_first_in_the_timeline_audit_trail_and_mail(
    client, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    officer = world.user(Role.OFFICER)
    officer.last_name, officer.first_name = "Nguyễn Văn", "An"
    officer.save()
    project = project_in(world.own.plan, S.DRAFT)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:step", args=[project.pk, "submit"]), {"submit-comment": ""})
    assert "Người thực hiện: Nguyễn Văn An" in mail.outbox[0].body
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nguyễn Văn An" in page and "An Nguyễn Văn" not in page
    trail = client.get(reverse("project_audit", args=[project.pk])).content.decode()
    assert "Nguyễn Văn An" in trail and "An Nguyễn Văn" not in trail


def test_an_address_that_only_repeats_a_commune_is_not_shown_twice(client, world):
    project = project_in(world.own.plan, S.DRAFT)
    commune = project.sites.get()
    project.site_address = commune.full_name.upper()
    project.save()
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"({commune.full_name.upper()})" not in page
    project.site_address = "Ấp Thới Phong A"
    project.save()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"{commune.full_name} (Ấp Thới Phong A)" in page
