"""Programmes as staff work: entered and edited on the staff pages, approved by leadership."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from planning.models import ProgrammeStatus
from programs.models import Programme
from tests.factories import ProgrammeFactory, indicator, source

pytestmark = pytest.mark.django_db

CREATE = reverse("planning:programme_create")


def _post(**overrides):
    data = {
        "code": "ct-thu-2026-2030",
        "name": "Chương trình khuyến công giai đoạn 2026–2030",
        "start_year": "2026",
        "end_year": "2030",
        "decision_number": "15/QĐ-UBND",
        "decision_date": "2026-02-01",
        "decision_authority": "UBND tỉnh",
        "description": "",
        "budgets-TOTAL_FORMS": "2",
        "budgets-INITIAL_FORMS": "0",
        "budgets-0-source": source("kcdp").pk,
        "budgets-0-year": "2026",
        "budgets-0-amount": "2.000.000.000",
        "budgets-1-source": source("kcdp").pk,
        "budgets-1-year": "2027",
        "budgets-1-amount": "2.500.000.000",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-description": "Đào tạo nghề cho 500–1000 lượt lao động",
        "targets-0-indicator": indicator("trainees").pk,
        "targets-0-qualifier": "exact",
        "targets-0-min_value": "500",
        "targets-0-max_value": "1000",
        "targets-0-unit": "lượt",
        "targets-1-description": "Trên 50 mô hình trình diễn",
        "targets-1-qualifier": "over",
        "targets-1-min_value": "50",
        "groups-TOTAL_FORMS": "1",
        "groups-INITIAL_FORMS": "0",
        "groups-0-title": "Tuyên truyền, phổ biến chính sách",
    }
    data.update(overrides)
    return data


def test_an_officer_enters_a_programme_with_budget_by_year_targets_and_groups(client, world):
    client.force_login(world.user(Role.OFFICER))
    response = client.post(CREATE, _post())
    programme = Programme.objects.get(code="ct-thu-2026-2030")
    assert response["Location"] == reverse("programs:detail", kwargs={"pk": programme.pk})
    assert programme.province == world.own.unit and programme.level == "local"
    assert sorted(programme.year_budgets.values_list("year", "amount")) == [
        (2026, 2_000_000_000),
        (2027, 2_500_000_000),
    ]
    assert dict(programme.budgets.values_list("source__code", "amount")) == {"kcdp": 4_500_000_000}
    ranged, over = programme.targets.order_by("order")
    assert (ranged.min_value, ranged.max_value, ranged.indicator.code) == (500, 1000, "trainees")
    assert (over.qualifier, over.min_value, over.indicator) == ("over", 50, None)
    assert programme.solution_groups.get().title == "Tuyên truyền, phổ biến chính sách"
    assert programme.approval.status == ProgrammeStatus.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Sửa chương trình" in page and "2.500.000.000" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"targets-0-max_value": "100"}, "không nhỏ hơn giá trị đầu"),
        ({"budgets-1-year": "2035"}, "nằm ngoài giai đoạn"),
        ({"budgets-1-year": "2026"}, "một dòng cho mỗi năm"),
        ({"budgets-0-amount": "hai tỷ"}, "Số tiền"),
        ({"end_year": "2020"}, ""),
    ],
)
def test_bad_programme_input_is_refused_and_nothing_is_saved(client, world, overrides, message):
    client.force_login(world.user(Role.OFFICER))
    response = client.post(CREATE, _post(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Programme.objects.filter(code="ct-thu-2026-2030").exists()


def test_leadership_approves_and_the_programme_is_then_closed_to_edits(client, world):
    client.force_login(world.user(Role.OFFICER))
    client.post(CREATE, _post())
    programme = Programme.objects.get(code="ct-thu-2026-2030")
    edit = reverse("planning:programme_edit", kwargs={"pk": programme.pk})
    approve = reverse("planning:programme_approve", kwargs={"pk": programme.pk})
    assert client.get(edit).status_code == 200
    assert client.post(approve).status_code == 403
    client.force_login(world.user(Role.LEADER, "other"))
    assert client.post(approve).status_code == 404
    client.force_login(world.user(Role.LEADER))
    assert (
        "Duyệt chương trình"
        in client.get(reverse("programs:detail", kwargs={"pk": programme.pk})).content.decode()
    )
    client.post(approve)
    programme.approval.refresh_from_db()
    assert (
        programme.approval.status == ProgrammeStatus.APPROVED
        and programme.approval.approved_by == world.user(Role.LEADER)
    )
    client.force_login(world.user(Role.OFFICER))
    assert client.get(edit).status_code == 403


def test_programme_pages_permissions(client, world):
    national = ProgrammeFactory(province=None, level="national")
    own = ProgrammeFactory(province=world.own.unit, level="local")
    client.logout()
    assert client.get(CREATE).status_code == 302
    client.force_login(world.user(Role.OFFICER))
    assert client.get(reverse("planning:programme_edit", kwargs={"pk": national.pk})).status_code == 403
    assert client.get(reverse("planning:programme_edit", kwargs={"pk": own.pk})).status_code == 200
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.get(reverse("planning:programme_edit", kwargs={"pk": own.pk})).status_code == 404
    client.force_login(world.user(Role.APPRAISER))
    assert client.get(CREATE).status_code == 403
    client.force_login(world.ministry)
    assert client.get(CREATE).status_code == 403
