"""The reports print the seed articles' figures exactly as the articles stated them."""

import pytest
from django.core.management import call_command

from places.models import AdministrativeUnit
from programs.models import Programme
from reports import xlsx
from reports.periods import Period
from reports.selectors import annual_report, national_report, programme_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(loaded_places):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)


def province(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().provinces().get(code=code)


def test_hai_phong_2018_declares_11_local_projects_over_1791_and_over_1144_from_the_city(seeded):
    report = annual_report(province=province("31"), period=Period(2018))
    local = next(p for p in report.declared_plans if p.declared_project_count is not None)
    assert local.declared_project_count == 11
    assert (local.declared_total, local.declared_total_prefix) == (1_791_000_000, "trên")
    assert [(a.amount, a.prefix) for a in local.allocations] == [(1_144_000_000, "trên")]
    city = next(r for r in report.by_source if r.allocated)
    assert (city.allocated, city.allocated_prefix) == (1_144_000_000, "trên")


def test_can_tho_2018_has_220_million_for_training_and_312_69_million_of_local_funds(seeded):
    report = annual_report(province=province("92"), period=Period(2018))
    allocated = sorted(r.allocated for r in report.by_source if r.allocated)
    assert allocated == [220_000_000, 312_690_000]
    assert report.source_totals.allocated == 532_690_000
    assert report.source_totals.planned == 220_000_000
    # Old units stay visible under today's Cần Thơ (Phong Điền, Cờ Đỏ, Thới Lai).
    old_names = {r.unit_name for r in report.by_place if r.unit_is_old and r.in_own_province}
    assert {"Huyện Phong Điền", "Huyện Cờ Đỏ", "Huyện Thới Lai"} <= old_names


def test_can_tho_programme_total_is_15_94_billion(seeded):
    report = programme_report(programme=Programme.objects.get(code="ct-cantho-2022-2025"))
    assert report.total_budget == 15_940_000_000
    assert not report.budget_split_known
    ranged = next(t for t in report.targets if t.min_value == 500)
    assert ranged.target_text == "500–1.000"


def test_national_2018_lists_all_34_provinces_with_hai_phong_declaring_11(seeded):
    report = national_report(period=Period(2018))
    assert len(report.rows) == 34
    hai_phong = next(r for r in report.rows if r.code == "31")
    assert hai_phong.declared_projects == 11
    assert hai_phong.allocated == 1_144_000_000


def test_seed_workbook_prints_the_over_qualifier_beside_the_allocation(seeded):
    import io

    from openpyxl import load_workbook

    report = annual_report(province=province("31"), period=Period(2018))
    wb = load_workbook(io.BytesIO(xlsx.annual_xlsx(report, issuer="SỞ CÔNG THƯƠNG")))
    ws = wb["Nguồn kinh phí"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    local = next(r for r in rows if r[4] == 1_144_000_000)
    assert local[3] == "trên"


def test_programme_workbook_budget_column_adds_up_to_the_published_15_94_billion(seeded):
    import io

    from openpyxl import load_workbook

    report = programme_report(programme=Programme.objects.get(code="ct-cantho-2022-2025"))
    ws = load_workbook(io.BytesIO(xlsx.programme_xlsx(report, issuer="SỞ CÔNG THƯƠNG")))[
        "Kinh phí theo nguồn"
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[2] == f"=SUM(C6:C{5 + len(report.budget_rows)})"
    assert sum(r[2] or 0 for r in rows[: len(report.budget_rows)]) == 15_940_000_000
    unsplit = next(r for r in report.budget_rows if r.unsplit)
    assert (unsplit.programme_budget, unsplit.share) == (15_940_000_000, None)
