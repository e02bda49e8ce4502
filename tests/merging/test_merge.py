"""Merging two records of one establishment: links moved and audited, refused for two tax codes,
undone by an administrator only."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Beneficiary, Certification
from merging.models import BeneficiaryMerge
from projects.models import ProjectBeneficiary
from tests.factories import BeneficiaryFactory, ProjectBeneficiaryFactory, ProjectFactory, valid_tax_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(world):
    province = world.own.unit
    kept = BeneficiaryFactory(name="HTX Mây tre đan Thới Lai", province=province, tax_code=None)
    removed = BeneficiaryFactory(
        name="Hợp tác xã Mây tre đan Thới Lai", province=province, tax_code=valid_tax_code()
    )
    shared, own = ProjectFactory(plan=world.own.plan), ProjectFactory(plan=world.own.plan)
    ProjectBeneficiaryFactory(
        project=shared, beneficiary=kept, support_amount=10_000_000, counterpart_amount=0
    )
    ProjectBeneficiaryFactory(
        project=shared, beneficiary=removed, support_amount=5_000_000, counterpart_amount=2_000_000
    )
    ProjectBeneficiaryFactory(
        project=own, beneficiary=removed, support_amount=7_000_000, counterpart_amount=0
    )
    Certification.objects.create(
        beneficiary=removed, scheme="ocop", product_name="Giỏ mây", stars=3, year=2024
    )
    return kept, removed, shared, own


def _merge(client, world, kept, removed, role=Role.OFFICER, where="own"):
    client.force_login(world.user(role, where))
    return client.post(
        reverse("merging:start", kwargs={"pk": kept.pk}), {"other": removed.pk, "keep": kept.pk}
    )


def test_merging_moves_every_link_and_takes_the_tax_code(client, world, twins):
    kept, removed, shared, own = twins
    code, removed_pk = removed.tax_code, removed.pk
    response = _merge(client, world, kept, removed)
    assert response["Location"] == reverse("beneficiaries:detail", kwargs={"pk": kept.pk})
    assert not Beneficiary.objects.filter(pk=removed_pk).exists()
    kept.refresh_from_db()
    assert kept.tax_code == code
    links = {link.project_id: link for link in ProjectBeneficiary.objects.filter(beneficiary=kept)}
    assert (links[shared.pk].support_amount, links[shared.pk].counterpart_amount) == (15_000_000, 2_000_000)
    assert links[own.pk].support_amount == 7_000_000
    assert kept.certifications.get().product_name == "Giỏ mây"
    merge = BeneficiaryMerge.objects.get()
    assert merge.actor == world.user(Role.OFFICER) and merge.removed_name == "Hợp tác xã Mây tre đan Thới Lai"


def test_two_different_tax_codes_are_never_merged(client, world, twins):
    kept, removed, *_ = twins
    kept.tax_code = valid_tax_code()
    kept.save()
    response = _merge(client, world, kept, removed)
    assert response.status_code == 400 and "hai mã số thuế khác nhau" in response.content.decode()
    assert Beneficiary.objects.filter(pk=removed.pk).exists() and not BeneficiaryMerge.objects.exists()
    assert ProjectBeneficiary.objects.filter(beneficiary=removed).count() == 2


def test_only_an_administrator_undoes_a_merge_and_everything_comes_back(client, world, twins):
    kept, removed, shared, own = twins
    code, removed_pk = removed.tax_code, removed.pk
    _merge(client, world, kept, removed)
    merge = BeneficiaryMerge.objects.get()
    assert client.post(reverse("merging:list"), {"merge": merge.pk}).status_code == 403
    assert client.get(reverse("merging:list")).status_code == 403
    client.force_login(world.admin)
    assert "Hợp tác xã Mây tre đan Thới Lai" in client.get(reverse("merging:list")).content.decode()
    client.post(reverse("merging:list"), {"merge": merge.pk})
    restored = Beneficiary.objects.get(pk=removed_pk)
    kept.refresh_from_db()
    assert restored.tax_code == code and kept.tax_code is None
    assert dict(
        ProjectBeneficiary.objects.filter(beneficiary=restored).values_list("project_id", "support_amount")
    ) == {
        shared.pk: 5_000_000,
        own.pk: 7_000_000,
    }
    assert ProjectBeneficiary.objects.get(beneficiary=kept).support_amount == 10_000_000
    assert restored.certifications.count() == 1 and kept.certifications.count() == 0
    merge.refresh_from_db()
    assert merge.undone_by == world.admin


def test_merge_pages_answer_404_for_another_province_and_403_without_the_role(client, world, twins):
    kept, removed, *_ = twins
    url = reverse("merging:start", kwargs={"pk": kept.pk})
    assert client.get(url).status_code == 302
    client.force_login(world.user(Role.OFFICER))
    assert removed.name in client.get(url, {"q": "may tre dan"}).content.decode()
    assert client.get(url, {"voi": removed.pk}).status_code == 200
    assert _merge(client, world, kept, removed, where="other").status_code == 404
    assert _merge(client, world, kept, removed, role=Role.LEADER).status_code == 403
    assert Beneficiary.objects.filter(pk=removed.pk).exists()
