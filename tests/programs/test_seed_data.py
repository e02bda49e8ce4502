"""The figures of the five source articles are loaded exactly as stated, and nothing is invented."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from programs.models import ActivityContent, AnnualPlan, FundingSource, HistoricOutput, Programme, SupportCap
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(loaded_places):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)


def test_reference_catalogues(seeded):
    assert ActivityContent.objects.count() == 9
    assert list(FundingSource.objects.values_list("code", flat=True)) == ["kcqg", "kcdp", "doi-ung", "khac"]
    cap = SupportCap.objects.get(item="Xây dựng mô hình trình diễn kỹ thuật")
    assert (cap.percent_of_cost, cap.ceiling, cap.content.number) == (30, 1_000_000_000, 3)


def test_can_tho_programme_totals_15_94_billion_with_no_invented_split(seeded):
    programme = Programme.objects.get(code="ct-cantho-2022-2025")
    assert programme.total_budget == 15_940_000_000
    assert programme.budgets.count() == 0
    assert (programme.start_year, programme.end_year) == (2022, 2025)
    assert programme.solution_groups.count() == 4
    ranged = programme.targets.get(min_value=500)
    assert (ranged.min_value, ranged.max_value) == (500, 1000)
    over_100 = programme.targets.get(min_value=100)
    assert over_100.qualifier == AmountQualifier.OVER
    assert programme.province.today_province().code == "92"


def test_hai_phong_2018_plan_as_the_article_states(seeded):
    plan = AnnualPlan.objects.get(province__era="old", province__code="31", year=2018, kind="kcdp")
    assert plan.declared_project_count == 11
    assert (plan.declared_total, plan.declared_total_qualifier) == (1_791_000_000, AmountQualifier.OVER)
    city = plan.allocations.get(source__code="kcdp")
    assert (city.amount, city.qualifier) == (1_144_000_000, AmountQualifier.OVER)
    national = Project.objects.get(code="hp-2018-kcqg-may-cong-nghiep")
    assert national.outputs.get(indicator__code="trainees").planned == 500
    assert national.province.code == "31" and national.province.era == "new"


def test_can_tho_2018_money_and_classes(seeded):
    plan = AnnualPlan.objects.get(province__era="old", province__code="92", year=2018, kind="kcdp")
    assert plan.allocations.aggregate(s=Sum("amount"))["s"] == 220_000_000 + 312_690_000
    assert plan.allocations.get(source__code="kcdp").amount == 312_690_000
    training = Project.objects.get(code="ct-2018-tap-huan")
    assert training.budget_lines.get().amount == 220_000_000
    site_names = set(training.sites.values_list("name", flat=True))
    assert {"Mỹ Khánh", "Tân Thới", "Phong Điền", "Cờ Đỏ", "Trường Thắng"} <= site_names
    assert all(site.today_province().code == "92" for site in training.sites.all())
    machinery = Project.objects.get(code="ct-2018-kcqg-may-phong-dien")
    assert machinery.beneficiary_links.get().beneficiary.name == "Công ty TNHH May xuất khẩu Phong Điền"


def test_thai_binh_programme_targets_and_proposed_budget(seeded):
    programme = Programme.objects.get(code="ct-thaibinh-2021-2025")
    values = {t.indicator.code: t.min_value for t in programme.targets.exclude(indicator=None)}
    # The fourth target (typical products; linkages) states no number: tied to its indicator, no figure.
    assert values == {
        "trainees": 2000,
        "demo-models": 5,
        "machinery-establishments": 100,
        "certified-products": None,
    }
    assert programme.proposed_annual_budget == 10_000_000_000
    assert programme.total_budget is None
    assert programme.province.today_province().code == "33"


def test_ha_noi_ten_year_results(seeded):
    rows = HistoricOutput.objects.filter(province__code="01")
    assert rows.get(indicator__code="classes", value=625)
    assert rows.get(indicator__code="trainees", value=22000).qualifier == AmountQualifier.NEARLY
    assert rows.get(indicator__code="cp-assessments").value == 260
    assert rows.get(indicator__code="management-trainees").qualifier == AmountQualifier.OVER


def test_seed_is_idempotent(seeded):
    before = Project.objects.count(), AnnualPlan.objects.count()
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    assert (Project.objects.count(), AnnualPlan.objects.count()) == before


def test_old_district_rolls_up_to_new_province(seeded):
    phong_dien = AdministrativeUnit.objects.get(era="old", level=2, code="926")
    assert phong_dien.today_province().code == "92"
