"""The national demo: national đề án at every stage of the national procedure, driven through the services,
marked demo, with a desk for each Ministry role; and the seed programme 2026–2030 with only what is known."""

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.services import DEMO_ACCOUNTS, demo_accounts_ensure
from programs.models import Programme
from projects.models import NationalPlan, Project, ProjectStatus
from projects.selectors import tasks_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(loaded_places, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/national.json", verbosity=0)
    demo_accounts_ensure(password="MatKhau@Demo2025")
    call_command("load_demo", verbosity=0)
    call_command("load_demo_national", verbosity=0)


def test_the_national_demo_walks_every_stage_through_the_services(demo):
    national = Project.objects.filter(is_demo=True, kind=Project.Kind.NATIONAL)
    assert set(national.values_list("status", flat=True)) >= {
        ProjectStatus.SETTLED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.FORWARDED,
        ProjectStatus.CUC_REVIEW,
        ProjectStatus.APPRAISING,
        ProjectStatus.SUBMITTED,
    }
    assert all(p.title.endswith("(demo)") for p in national)
    settled = national.get(status=ProjectStatus.SETTLED)
    assert list(settled.transitions.values_list("action", flat=True)) == [
        "submit", "start_appraisal", "forward", "cuc_receive", "national_approve",
        "contract", "start", "accept", "close", "settle",
    ]  # fmt: skip
    late = national.get(code__endswith="noi-bat")
    assert "Lý do" in late.transitions.get(action="submit").acknowledged_warnings
    plans = NationalPlan.objects.filter(is_demo=True)
    assert set(plans.values_list("year", "status")) == {(2026, "approved"), (2027, "draft")}
    assert plans.get(year=2026).programme.decision_number == "2646/QĐ-BCT"


def test_each_ministry_role_finds_work_on_its_desk(demo):
    from django.contrib.auth import get_user_model

    by_role = {a.role: a.username for a in DEMO_ACCOUNTS}
    User = get_user_model()
    for role in (Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER):
        assert tasks_for(User.objects.get(username=by_role[role])).count > 0, role
    leader = tasks_for(User.objects.get(username=by_role[Role.CUC_LEADER]))
    assert [p.year for p in leader.national_plans] == [2027]
    assert tasks_for(User.objects.get(username=by_role[Role.MINISTRY])).count == 0


def test_the_demo_loads_again_without_duplicates(demo):
    before = Project.objects.count()
    call_command("load_demo_national", verbosity=0)
    assert Project.objects.count() == before


def test_the_national_programme_seed_states_only_its_decision(db):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/national.json", verbosity=0)
    programme = Programme.objects.get(code="ctkcqg-2026-2030")
    assert (programme.decision_number, str(programme.decision_date)) == ("2646/QĐ-BCT", "2025-09-23")
    assert programme.total_budget is None and not programme.is_demo
    # The two national đề án of the articles: kind national, no invented amounts.
    hp = Project.objects.get(code="hp-2018-kcqg-may-cong-nghiep")
    ct = Project.objects.get(code="ct-2018-kcqg-may-phong-dien")
    assert hp.kind == ct.kind == Project.Kind.NATIONAL
    assert hp.outputs.get().planned == 500
    assert not hp.budget_lines.exists() and not ct.budget_lines.exists()
    assert ct.beneficiary_links.get().beneficiary.name == "Công ty TNHH May xuất khẩu Phong Điền"
    assert ct.beneficiary_links.get().support_amount == 0
