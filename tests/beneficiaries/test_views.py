"""Beneficiary pages: accent-insensitive list, support history, creation with tax-code checks, the HTMX
helpers of the entry form, and fixed query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.services import roles_setup
from beneficiaries.models import Beneficiary, Certification
from tests.factories import (
    AnnualPlanFactory,
    BeneficiaryFactory,
    CommuneFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    beneficiary_kind,
    content,
    valid_tax_code,
)
from tests.projects.conftest import world  # noqa: F401 - the shared two-province fixture


@pytest.fixture
def role_permissions(world):  # noqa: F811
    """The role groups with their model permissions, as `bootstrap` sets them."""
    roles_setup()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def weaver(world):  # noqa: F811
    return BeneficiaryFactory(
        province=world.own.unit,
        name="Hợp tác xã Đan dây nhựa Thới Lai",
        kind=beneficiary_kind("htx"),
        current_unit=CommuneFactory(province=world.own.unit, name="Thới Lai", full_name="Xã Thới Lai"),
    )


def test_list_search_ignores_accents_and_hides_other_provinces(client, world, weaver):  # noqa: F811
    BeneficiaryFactory(province=world.own.unit, name="Cơ sở cơ khí Phong Điền")
    theirs = BeneficiaryFactory(province=world.other.unit, name="Cơ sở Đan dây nhựa tỉnh khác")
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:list")
    assert list(client.get(url, {"q": "dan day nhua"}).context["object_list"]) == [weaver]
    assert list(client.get(url, {"place": "thoi lai"}).context["object_list"]) == [weaver]
    assert list(client.get(url, {"kind": beneficiary_kind("htx").pk}).context["object_list"]) == [weaver]
    assert client.get(reverse("beneficiaries:detail", args=[theirs.pk])).status_code == 404


def test_list_filters_by_year_and_content_of_support(client, world, weaver):  # noqa: F811
    ProjectBeneficiaryFactory(
        project=ProjectFactory(plan=world.own.plan, contents=[content(3)]), beneficiary=weaver
    )
    BeneficiaryFactory(province=world.own.unit)
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:list")
    assert list(client.get(url, {"year": 2025}).context["object_list"]) == [weaver]
    assert list(client.get(url, {"content": content(3).pk}).context["object_list"]) == [weaver]
    assert list(client.get(url, {"year": 2019}).context["object_list"]) == []


def test_page_shows_support_across_years_and_certifications(client, world, weaver):  # noqa: F811
    older = AnnualPlanFactory(province=world.own.unit, year=2023)
    ProjectBeneficiaryFactory(
        project=ProjectFactory(plan=older), beneficiary=weaver, support_amount=30_000_000
    )
    ProjectBeneficiaryFactory(
        project=ProjectFactory(plan=world.own.plan), beneficiary=weaver, support_amount=50_000_000
    )
    Certification.objects.create(
        beneficiary=weaver, scheme="ocop", product_name="Giỏ đan dây nhựa", stars=4, year=2024
    )
    client.force_login(world.user(Role.LEADER))
    response = client.get(reverse("beneficiaries:detail", args=[weaver.pk]))
    assert response.context["support_by_year"] == [(2025, 50_000_000), (2023, 30_000_000)]
    assert response.context["support_total"] == 80_000_000
    page = response.content.decode()
    assert "80.000.000 đồng" in page
    assert "Giỏ đan dây nhựa" in page


def test_list_and_page_run_a_fixed_number_of_queries(client, world, weaver, django_assert_num_queries):  # noqa: F811
    ProjectBeneficiaryFactory(project=ProjectFactory(plan=world.own.plan), beneficiary=weaver)
    Certification.objects.create(beneficiary=weaver, scheme="cnnt", product_name="Giỏ", year=2024)
    client.force_login(world.user(Role.OFFICER))
    list_url, page_url = reverse("beneficiaries:list"), reverse("beneficiaries:detail", args=[weaver.pk])
    few = (queries_for(client, list_url), queries_for(client, page_url))
    for n in range(6):
        BeneficiaryFactory(province=world.own.unit, current_unit=CommuneFactory(province=world.own.unit))
        ProjectBeneficiaryFactory(
            project=ProjectFactory(plan=world.own.plan, contents=[content(1), content(2)]), beneficiary=weaver
        )
        Certification.objects.create(
            beneficiary=weaver, scheme="ocop", product_name=f"Sản phẩm {n}", stars=3, year=2020 + n
        )
    with django_assert_num_queries(few[0]):
        client.get(list_url)
    with django_assert_num_queries(few[1]):
        client.get(page_url)


def test_create_refuses_a_wrong_tax_code_in_vietnamese_and_keeps_the_input(client, world, role_permissions):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    data = {"name": "Cơ sở mộc Cờ Đỏ", "kind": beneficiary_kind().pk, "tax_code": "0101245480"}
    response = client.post(reverse("beneficiaries:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sai chữ số kiểm tra" in page
    assert "Cơ sở mộc Cờ Đỏ" in page
    assert not Beneficiary.objects.filter(name="Cơ sở mộc Cờ Đỏ").exists()


def test_create_records_the_establishment_in_the_users_province(client, world, role_permissions):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    code = valid_tax_code()
    response = client.post(
        reverse("beneficiaries:create"),
        {"name": "Cơ sở mộc Cờ Đỏ", "kind": beneficiary_kind().pk, "tax_code": code},
    )
    created = Beneficiary.objects.get(tax_code=code)
    assert response.url == reverse("beneficiaries:detail", args=[created.pk])
    assert created.province == world.own.unit


def test_only_officers_may_create(client, world, role_permissions):  # noqa: F811
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse("beneficiaries:create")).status_code == 403


def test_tax_code_check_says_what_is_wrong_or_who_has_it_in_the_province(client, world, weaver):  # noqa: F811
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:tax_code_check")
    assert (
        "sai chữ số kiểm tra"
        in client.get(url, {"beneficiaries-1-new_tax_code": "0101245480"}).content.decode()
    )
    assert weaver.name in client.get(url, {"tax_code": weaver.tax_code}).content.decode()
    assert "hợp lệ" in client.get(url, {"tax_code": valid_tax_code()}).content.decode()


def test_another_provinces_tax_code_gets_the_answer_an_unknown_code_gets(
    client,
    world,  # noqa: F811
    weaver,
    role_permissions,  # noqa: F811
):
    """Absent and forbidden answer alike: nothing tells a province that another holds a tax code."""
    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:tax_code_check")
    theirs = BeneficiaryFactory(province=world.other.unit)
    unknown = valid_tax_code()
    assert not Beneficiary.objects.filter(tax_code=unknown).exists()
    answer = client.get(url, {"tax_code": theirs.tax_code}).content.decode()
    assert answer == client.get(url, {"tax_code": unknown}).content.decode()
    assert theirs.name not in answer and "khác" not in answer
    # And the establishment can be recorded in the officer's own books with that code, as an unknown one.
    response = client.post(
        reverse("beneficiaries:create"),
        {"name": "Cơ sở mây tre Ô Môn", "kind": beneficiary_kind().pk, "tax_code": theirs.tax_code},
    )
    assert response.status_code == 302
    ours = Beneficiary.objects.get(name="Cơ sở mây tre Ô Môn")
    assert ours.tax_code == theirs.tax_code and ours.province == world.own.unit
    theirs.refresh_from_db()
    assert theirs.province == world.other.unit


def test_autocomplete_finds_without_accents_only_in_the_province(client, world, weaver):  # noqa: F811
    BeneficiaryFactory(province=world.other.unit, name="Đan dây nhựa tỉnh khác")
    client.force_login(world.user(Role.OFFICER))
    answer = client.get(reverse("beneficiaries:autocomplete"), {"q": "dan day"}).content.decode()
    assert answer.count('class="choice"') == 1
    assert f'data-id="{weaver.pk}"' in answer


def test_certification_dates_show_the_vietnamese_way(client, world, weaver):  # noqa: F811
    Certification.objects.create(
        beneficiary=weaver,
        scheme="cnnt",
        product_name="Giỏ",
        year=2024,
        expires_on=datetime.date(2027, 12, 31),
    )
    client.force_login(world.user(Role.OFFICER))
    assert "31/12/2027" in client.get(reverse("beneficiaries:detail", args=[weaver.pk])).content.decode()


def test_a_search_counts_exactly_only_below_the_search_threshold(client, world, weaver):  # noqa: F811
    """Counting a search's matches costs its trigram scan: the list counts a search exactly only when few."""
    from beneficiaries.views import SEARCH_EXACT_COUNT_BELOW

    client.force_login(world.user(Role.OFFICER))
    url = reverse("beneficiaries:list")
    searched = client.get(url, {"q": "dan day"}).context["paginator"]
    assert searched.exact_count_below == SEARCH_EXACT_COUNT_BELOW
    assert searched.count == 1 and not searched.count_is_estimate
    unsearched = client.get(url).context["paginator"]
    assert unsearched.exact_count_below > SEARCH_EXACT_COUNT_BELOW


def test_autocomplete_lists_matches_by_name(client, world, weaver):  # noqa: F811
    for name in ("Đan dây nhựa Ba", "Đan dây nhựa An"):
        BeneficiaryFactory(province=world.own.unit, name=name)
    client.force_login(world.user(Role.OFFICER))
    answer = client.get(reverse("beneficiaries:autocomplete"), {"q": "dan day"}).content.decode()
    positions = [answer.index(f'data-id="{b.pk}"') for b in Beneficiary.objects.order_by("name", "pk")]
    assert positions == sorted(positions) and len(positions) == 3


def test_name_order_indexes_hold_the_searched_columns_on_postgresql(db):
    """A search's first page is answered from the name-order index alone (no table row per skipped name)."""
    if connection.vendor != "postgresql":
        pytest.skip("INCLUDE indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'beneficiaries_beneficiary' "
            "AND indexname IN ('beneficiary_name_search', 'beneficiary_prov_name_search')"
        )
        definitions = dict(cursor.fetchall())
    assert len(definitions) == 2
    for definition in definitions.values():
        assert "INCLUDE (search_text, tax_code)" in definition
