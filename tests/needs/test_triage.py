"""Staff triage of needs: who sees and answers them, and what each answer does."""

import pytest
from django.urls import reverse

from beneficiaries.models import Beneficiary
from needs.models import Need, NeedStatus
from projects.models import Project, ProjectStatus
from tests.factories import BeneficiaryFactory, beneficiary_kind, valid_tax_code

from .conftest import need_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(client, needs_world):
    client.post(reverse("needs:register"), need_post(needs_world))
    client.logout()
    return Need.objects.get()


def _action(client, need, action, **data):
    return client.post(reverse("needs:action", kwargs={"pk": need.pk, "action": action}), data)


def test_anonymous_staff_pages_ask_for_login(client, need):
    for url in (reverse("needs:list"), reverse("needs:detail", kwargs={"pk": need.pk})):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert _action(client, need, "accept").status_code == 302
    assert Need.objects.get().status == NeedStatus.RECEIVED


def test_own_province_lists_and_opens_the_need_another_province_gets_404(client, needs_world, need):
    client.force_login(needs_world.officer)
    assert need.receipt_code in client.get(reverse("needs:list")).content.decode()
    assert client.get(reverse("needs:detail", kwargs={"pk": need.pk})).status_code == 200
    client.force_login(needs_world.other_officer)
    assert need.receipt_code not in client.get(reverse("needs:list")).content.decode()
    assert client.get(reverse("needs:detail", kwargs={"pk": need.pk})).status_code == 404
    for action in ("accept", "decline", "merge", "propose"):
        assert _action(client, need, action, reason="x").status_code == 404
    assert Need.objects.get().status == NeedStatus.RECEIVED


def test_the_ministry_and_leadership_read_but_do_not_answer(client, needs_world, need):
    for user in (needs_world.ministry, needs_world.leader):
        client.force_login(user)
        page = client.get(reverse("needs:detail", kwargs={"pk": need.pk}))
        assert page.status_code == 200 and not page.context["can_triage"]
        assert _action(client, need, "accept").status_code == 403
    assert Need.objects.get().status == NeedStatus.RECEIVED


def test_accepting_records_the_establishment_and_audits_the_move(client, needs_world, need):
    client.force_login(needs_world.centre)
    assert _action(client, need, "accept").status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ACCEPTED
    assert need.beneficiary.name == "Hộ kinh doanh Nguyễn Thị Hoa"
    assert (
        need.beneficiary.current_unit == need.current_unit
        and need.beneficiary.unit_at_time == need.unit_at_time
    )
    move = need.transitions.get()
    assert (move.actor, move.from_status, move.to_status) == (needs_world.centre, "received", "accepted")


def test_a_recorded_establishment_of_the_same_name_and_commune_is_offered_and_merged(
    client, needs_world, need
):
    same = BeneficiaryFactory(
        name="Hộ kinh doanh Nguyễn Thị Hoa",
        province=needs_world.cantho,
        current_unit=need.current_unit,
        kind=beneficiary_kind("ho-kinh-doanh"),
        tax_code=None,
    )
    BeneficiaryFactory(
        name="Hộ kinh doanh Nguyễn Thị Hoa", province=needs_world.cantho, tax_code=None
    )  # other commune
    client.force_login(needs_world.officer)
    page = client.get(reverse("needs:detail", kwargs={"pk": need.pk}))
    assert page.context["candidates"] == [same]
    assert _action(client, need, "merge", beneficiary=same.pk).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ACCEPTED and need.beneficiary == same
    assert Beneficiary.objects.filter(name="Hộ kinh doanh Nguyễn Thị Hoa").count() == 2


def test_a_tax_code_match_is_preferred_and_two_different_tax_codes_never_merge(client, needs_world):
    code = valid_tax_code()
    kind = beneficiary_kind("htx").pk
    client.post(
        reverse("needs:register"),
        need_post(needs_world, tax_code=code, kind=kind, name="HTX Mây tre Thới Lai"),
    )
    need = Need.objects.get()
    by_code = BeneficiaryFactory(name="Hợp tác xã mây tre", tax_code=code, province=needs_world.cantho)
    client.force_login(needs_world.officer)
    assert client.get(reverse("needs:detail", kwargs={"pk": need.pk})).context["candidates"] == [by_code]
    # Accepting as a new establishment would record the tax code twice: refused, the officer must merge.
    response = _action(client, need, "accept")
    assert Need.objects.get().status == NeedStatus.RECEIVED
    assert "hãy hợp nhất" in client.get(response["Location"]).content.decode()

    from django.core.exceptions import ValidationError

    from needs.services import need_merge

    other = BeneficiaryFactory(
        name="HTX Mây tre Thới Lai", tax_code=valid_tax_code(), province=needs_world.cantho
    )
    with pytest.raises(ValidationError, match="mã số thuế đăng ký"):
        need_merge(actor=needs_world.officer, need=need, beneficiary=other)
    assert Need.objects.get().beneficiary is None


def test_declining_needs_a_reason_which_the_registrant_sees(client, needs_world, need):
    client.force_login(needs_world.officer)
    empty = _action(client, need, "decline", reason="  ")
    assert empty.status_code == 400 and Need.objects.get().status == NeedStatus.RECEIVED
    _action(client, need, "decline", reason="Nội dung máy sấy đã được hỗ trợ năm 2026.")
    client.logout()
    receipt = client.get(reverse("needs:receipt", kwargs={"code": need.receipt_code})).content.decode()
    assert "Không tiếp nhận" in receipt and "đã được hỗ trợ năm 2026" in receipt


def test_a_need_becomes_a_draft_project_prefilled_from_it(client, needs_world, need):
    client.force_login(needs_world.officer)
    response = _action(client, need, "propose", plan=needs_world.plan.pk)
    project = Project.objects.get()
    assert response["Location"] == reverse("projects:edit", kwargs={"pk": project.pk})
    assert project.status == ProjectStatus.DRAFT and project.plan == needs_world.plan
    assert list(project.contents.values_list("number", flat=True)) == [2]
    assert list(project.sites.all()) == [need.current_unit]
    assert project.need_and_basis == "Máy sấy nông sản công suất 500 kg/mẻ"
    line = project.budget_lines.get()
    assert (line.amount, line.source.code, line.content.number) == (320_000_000, "kcdp", 2)
    need.refresh_from_db()
    assert need.status == NeedStatus.PROPOSED and need.project == project
    assert project.beneficiary_links.get().beneficiary == need.beneficiary
    assert client.get(response["Location"]).status_code == 200


def test_a_plan_of_another_province_cannot_receive_the_need(client, needs_world, need):
    from tests.factories import AnnualPlanFactory

    foreign = AnnualPlanFactory(province=needs_world.haiphong, year=2027)
    client.force_login(needs_world.officer)
    assert _action(client, need, "propose", plan=foreign.pk).status_code == 400
    assert not Project.objects.exists() and Need.objects.get().status == NeedStatus.RECEIVED
