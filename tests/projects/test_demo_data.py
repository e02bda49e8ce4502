"""The demo data shows the whole lifecycle, through the services, and loads again without duplicates."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.services import demo_accounts_ensure
from projects.models import Project, ProjectStatus, ProjectTransition
from projects.selectors import project_money, tasks_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(loaded_places, reference_data):
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    demo_accounts_ensure(password="MatKhau@Demo2025")
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    return time.monotonic() - started


def test_demo_shows_every_stage_in_both_cities_with_a_real_audit_trail_and_tasks_for_each_role(demo):
    demo_projects = Project.objects.filter(is_demo=True)
    for province in ("92", "31"):
        statuses = set(demo_projects.filter(province__code=province).values_list("status", flat=True))
        assert statuses >= {
            ProjectStatus.DRAFT,
            ProjectStatus.SUBMITTED,
            ProjectStatus.APPRAISING,
            ProjectStatus.APPROVED,
            ProjectStatus.CONTRACTED,
            ProjectStatus.IN_PROGRESS,
            ProjectStatus.ACCEPTED,
            ProjectStatus.SETTLED,
        }
    assert all(p.code.startswith("demo-") and p.title.endswith("(demo)") for p in demo_projects)
    settled = demo_projects.filter(status=ProjectStatus.SETTLED).first()
    path = list(ProjectTransition.objects.filter(project=settled).values_list("to_status", flat=True))
    assert path == [
        "submitted",
        "appraising",
        "approved",
        "contracted",
        "in_progress",
        "accepted",
        "closed",
        "settled",
    ]
    money = project_money(settled)
    assert money.total.remaining_to_disburse == money.total.approved - money.total.disbursed
    assert any(row.settled for row in money.rows)
    # Each role finds something to do.
    users = {u.username: u for u in get_user_model().objects.filter(username__contains=".cantho")}
    assert tasks_for(users["lanhdao.cantho"]).advances_to_decide
    assert tasks_for(users["trungtam.cantho"]).overdue_reports
    assert tasks_for(users["thamdinh.cantho"]).count == 0  # the demo sheet is already sent
    assert tasks_for(users["canbo.cantho"]).projects


def test_demo_loads_again_without_duplicates_and_fast(demo):
    assert demo < 5
    before = (Project.objects.count(), ProjectTransition.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Project.objects.count(), ProjectTransition.objects.count()) == before
