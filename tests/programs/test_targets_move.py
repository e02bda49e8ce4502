"""Targets move: each is fed by an indicator đề án outputs record, or tracked by hand (entered by staff,
audited); the demo đề án move the seeded targets; the page warns about a target nothing feeds."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.services import demo_accounts_ensure
from programs.models import Programme, ProgrammeTarget
from projects.programme_progress import programme_targets_progress
from reports.selectors import programme_report

pytestmark = pytest.mark.django_db
CAN_THO = "ct-cantho-2022-2025"


@pytest.fixture
def demo(loaded_places, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    demo_accounts_ensure(password="MatKhau@Demo2025")
    call_command("load_demo", verbosity=0)


def user(name):
    return get_user_model().objects.get(username=name)


def test_every_seeded_target_is_fed_by_an_indicator_or_by_hand(demo):
    targets = ProgrammeTarget.objects.filter(programme__is_demo=False)
    assert targets.count() == 8
    assert [t.description for t in targets if not t.is_fed] == []
    # Only the two Cần Thơ aims that no output can count are tracked by hand; nothing achieved is invented.
    by_hand = targets.filter(tracked_by_hand=True)
    assert by_hand.count() == 2 and all(t.achieved_by_hand is None for t in by_hand)


def test_demo_projects_move_the_can_tho_targets_on_page_and_report(demo, client):
    programme = Programme.objects.get(code=CAN_THO)
    leader = user("lanhdao.cantho")
    report = programme_report(programme=programme, user=leader)
    achieved = {t.indicator_name: t.achieved for t in report.targets if t.min_value}
    assert achieved["Cơ sở công nghiệp nông thôn được hỗ trợ"] > 0
    assert achieved["Lượt người được tập huấn quản lý"] > 0
    page_figures = {t.target.pk: t.achieved for t in programme_targets_progress(programme, leader)}
    assert sorted(v for v in page_figures.values() if v) == sorted(v for v in achieved.values() if v)
    client.force_login(leader)
    page = client.get(reverse("programs:detail", kwargs={"pk": programme.pk})).content.decode()
    assert "Không có gì cập nhật chỉ tiêu này" not in page
    assert "Theo dõi thủ công." in page


def test_the_page_warns_about_a_target_nothing_feeds(demo, client):
    programme = Programme.objects.get(code=CAN_THO)
    ProgrammeTarget.objects.create(programme=programme, description="Mục tiêu chưa gắn gì", order=9)
    client.force_login(user("lanhdao.cantho"))
    page = client.get(reverse("programs:detail", kwargs={"pk": programme.pk})).content.decode()
    assert "Không có gì cập nhật chỉ tiêu này" in page
    thai_binh = Programme.objects.get(code="ct-thaibinh-2021-2025")
    client.force_login(user("bo.congthuong"))
    page = client.get(reverse("programs:detail", kwargs={"pk": thai_binh.pk})).content.decode()
    assert "Chưa đề án nào của chương trình ghi đầu ra" in page


def test_staff_enter_a_target_tracked_by_hand_and_the_trail_keeps_each_figure(demo, client):
    programme = Programme.objects.get(code=CAN_THO)
    target = programme.targets.filter(tracked_by_hand=True).first()
    url = reverse("programs:target_achieved", kwargs={"pk": target.pk})
    officer = user("canbo.cantho")
    client.force_login(officer)
    prefix = f"t{target.pk}"
    client.post(url, {f"{prefix}-achieved": "2", f"{prefix}-note": "Báo cáo (demo) quý I"})
    client.post(url, {f"{prefix}-achieved": "3", f"{prefix}-note": "Báo cáo (demo) quý II"})
    target.refresh_from_db()
    assert (target.achieved_by_hand, target.achieved_note) == (3, "Báo cáo (demo) quý II")
    last = LogEntry.objects.get_for_object(target).order_by("-timestamp", "-pk").first()
    assert last.actor == officer and last.changes_dict["achieved_by_hand"] == [2, 3]
    row = next(
        t for t in programme_report(programme=programme).targets if t.description == target.description
    )
    assert row.achieved == 3

    # No figure without its basis; the Ministry reads only; another province's officer gets 404.
    client.post(url, {f"{prefix}-achieved": "9", f"{prefix}-note": ""})
    client.force_login(user("bo.congthuong"))
    assert client.post(url, {f"{prefix}-achieved": "9", f"{prefix}-note": "x"}).status_code == 403
    client.force_login(user("canbo.haiphong"))
    assert client.post(url, {f"{prefix}-achieved": "9", f"{prefix}-note": "x"}).status_code == 404
    target.refresh_from_db()
    assert target.achieved_by_hand == 3
