"""Report figures against independently written SQL over generated data."""

import datetime

import pytest
from django.db import connection

from reports.periods import Period
from reports.selectors import annual_report, national_report, programme_report

from .conftest import YEAR, build_world

pytestmark = pytest.mark.django_db

# Đề án of the report: today's province and the plan's year.
SCOPE = """
    SELECT p.id FROM projects_project p JOIN programs_annualplan ap ON ap.id = p.plan_id
    WHERE p.province_id = %(province)s AND ap.year = %(year)s
"""


def sql(query: str, **params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def by_key(rows) -> dict:
    return {k: int(v or 0) for k, v in rows}


@pytest.fixture
def report(world):
    return annual_report(province=world.province, period=Period(YEAR))


def test_planned_money_per_source_matches_sql(world, report):
    expected = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_budgetline WHERE project_id IN ({SCOPE}) GROUP BY source_id",
            province=world.province.pk,
            year=YEAR,
        )
    )
    got = {r.source_id: r.planned for r in report.by_source if r.planned}
    assert got == {k: v for k, v in expected.items() if v}
    assert report.source_totals.planned == sum(expected.values()) > 0


def test_allocated_money_per_source_matches_sql_and_keeps_the_over_qualifier(world, report):
    expected = by_key(
        sql(
            """SELECT pa.source_id, SUM(pa.amount) FROM programs_planallocation pa
               JOIN programs_annualplan ap ON ap.id = pa.plan_id
               JOIN places_administrativeunit u ON u.id = ap.province_id
               WHERE u.current_province_id = %(province)s AND ap.year = %(year)s GROUP BY pa.source_id""",
            province=world.province.pk,
            year=YEAR,
        )
    )
    got = {r.source_id: r.allocated for r in report.by_source if r.allocated}
    assert got == expected
    local = next(r for r in report.by_source if r.source_id is not None and r.allocated == 1_144_000_000)
    assert local.allocated_prefix == "trên"
    unnamed = next(r for r in report.by_source if r.source_id is None)
    assert unnamed.allocated == 220_000_000


def test_advanced_disbursed_and_settled_match_sql(world, report):
    scope = {"province": world.province.pk, "year": YEAR}
    advanced = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_advance WHERE status = 'approved' AND project_id IN ({SCOPE}) GROUP BY source_id",
            **scope,
        )
    )
    disbursed = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_disbursement WHERE project_id IN ({SCOPE}) GROUP BY source_id",
            **scope,
        )
    )
    settled = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_settlementline WHERE project_id IN ({SCOPE}) GROUP BY source_id",
            **scope,
        )
    )
    assert {r.source_id: r.advanced for r in report.by_source if r.advanced} == advanced
    assert {r.source_id: r.disbursed for r in report.by_source if r.disbursed} == disbursed
    assert {r.source_id: r.settled for r in report.by_source if r.settled} == settled
    assert report.source_totals.disbursed == sum(disbursed.values()) > 0


def test_a_quarter_counts_money_to_its_end_and_its_own_payments_apart(world):
    q3 = annual_report(province=world.province, period=Period(YEAR, quarter=3))
    scope = {"province": world.province.pk, "year": YEAR}
    to_end = sql(
        f"SELECT COALESCE(SUM(amount), 0) FROM projects_disbursement WHERE paid_on <= '{YEAR}-09-30' "
        f"AND project_id IN ({SCOPE})",
        **scope,
    )[0][0]
    within = sql(
        f"SELECT COALESCE(SUM(amount), 0) FROM projects_disbursement WHERE paid_on BETWEEN '{YEAR}-07-01' "
        f"AND '{YEAR}-09-30' AND project_id IN ({SCOPE})",
        **scope,
    )[0][0]
    assert q3.source_totals.disbursed == to_end
    assert q3.source_totals.disbursed_in_period == within
    assert 0 < within < to_end
    settled_q1 = annual_report(province=world.province, period=Period(YEAR, quarter=1)).source_totals.settled
    assert settled_q1 < annual_report(province=world.province, period=Period(YEAR)).source_totals.settled


def test_status_counts_match_sql(world, report):
    expected = by_key(
        sql(
            f"SELECT status, COUNT(*) FROM projects_project WHERE id IN ({SCOPE}) GROUP BY status",
            province=world.province.pk,
            year=YEAR,
        )
    )
    assert {r.status: r.count for r in report.by_status} == expected
    assert report.project_count == sum(expected.values())
    assert report.status_total_planned == report.source_totals.planned


def test_contents_list_all_nine_with_counts_and_money_matching_sql(world, report):
    counts = by_key(
        sql(
            f"""SELECT c.number, COUNT(DISTINCT pc.project_id) FROM projects_project_contents pc
            JOIN programs_activitycontent c ON c.id = pc.activitycontent_id
            WHERE pc.project_id IN ({SCOPE}) GROUP BY c.number""",
            province=world.province.pk,
            year=YEAR,
        )
    )
    money = by_key(
        sql(
            f"""SELECT c.number, SUM(b.amount) FROM projects_budgetline b
            LEFT JOIN programs_activitycontent c ON c.id = b.content_id
            WHERE b.project_id IN ({SCOPE}) GROUP BY c.number""",
            province=world.province.pk,
            year=YEAR,
        )
    )
    numbered = [r for r in report.by_content if r.number is not None]
    assert [r.number for r in numbered] == list(range(1, 10))
    assert {r.number: r.projects for r in numbered if r.projects} == counts
    assert {r.number: r.planned for r in report.by_content if r.planned} == money
    assert report.content_planned_total == report.source_totals.planned


def test_beneficiary_kinds_match_sql(world, report):
    rows = sql(
        f"""SELECT b.kind_id, COUNT(DISTINCT pb.beneficiary_id), SUM(pb.support_amount), SUM(pb.counterpart_amount),
                   COUNT(DISTINCT CASE WHEN b.women_owned THEN b.id END)
            FROM projects_projectbeneficiary pb JOIN beneficiaries_beneficiary b ON b.id = pb.beneficiary_id
            WHERE pb.project_id IN ({SCOPE}) GROUP BY b.kind_id""",
        province=world.province.pk,
        year=YEAR,
    )
    expected = {k: (n, int(s), int(c), w) for k, n, s, c, w in rows}
    got = {
        r.kind_id: (r.beneficiaries, r.support, r.counterpart, r.women_owned)
        for r in report.by_beneficiary_kind
        if r.beneficiaries
    }
    assert got == expected
    committed = sql(
        f"SELECT COALESCE(SUM(counterpart_amount), 0) FROM projects_projectbeneficiary "
        f"WHERE counterpart_committed AND project_id IN ({SCOPE})",
        province=world.province.pk,
        year=YEAR,
    )[0][0]
    assert report.counterpart.committed == committed


def test_outputs_per_indicator_match_sql(world, report):
    rows = sql(
        f"""SELECT indicator_id, SUM(planned), COALESCE(SUM(achieved), 0) FROM projects_projectoutput
                   WHERE project_id IN ({SCOPE}) GROUP BY indicator_id""",
        province=world.province.pk,
        year=YEAR,
    )
    assert {r.indicator_id: (r.planned, r.achieved) for r in report.outputs} == {
        i: (p, a) for i, p, a in rows
    }


def test_old_communes_roll_up_under_their_old_district_and_todays_province(world, report):
    districts = {r.unit_name: r for r in report.by_place if r.unit_is_old}
    assert set(districts) <= {"Huyện Phong Điền", "Huyện Thới Lai"}
    for row in districts.values():
        assert row.today_province == world.province.full_name
        assert row.in_own_province
    listed = {c for r in districts.values() for c in r.communes}
    assert listed and listed <= {c.full_name for c in world.communes}


def test_notable_projects_are_the_largest_by_planned_money(world, report):
    planned = [p.planned for p in report.notable]
    assert planned == sorted(planned, reverse=True)
    largest = sql(
        f"SELECT MAX(t) FROM (SELECT SUM(amount) AS t FROM projects_budgetline WHERE project_id IN ({SCOPE}) "
        "GROUP BY project_id) x",
        province=world.province.pk,
        year=YEAR,
    )[0][0]
    assert planned[0] == largest


def test_declared_plan_figures_are_shown_beside_the_projects_entered(world, report):
    local = next(p for p in report.declared_plans if p.declared_project_count == 11)
    assert local.entered_project_count == sum(1 for p in world.projects if p.plan_id == world.plans[0].pk)
    assert {(a.amount, a.prefix) for a in local.allocations} == {(1_144_000_000, "trên"), (220_000_000, "")}


def test_another_province_sees_nothing_of_this_one(world):
    seen = annual_report(province=world.province, period=Period(YEAR), user=world.other_officer)
    assert seen.project_count == 0
    assert seen.source_totals.planned == 0 and seen.source_totals.allocated == 0


def test_national_view_has_one_row_per_current_province_and_sums_to_the_provinces(world):
    report = national_report(period=Period(YEAR), user=world.ministry)
    from places.models import AdministrativeUnit

    assert len(report.rows) == AdministrativeUnit.objects.current().provinces().count()
    own = next(r for r in report.rows if r.province_id == world.province.pk)
    annual = annual_report(province=world.province, period=Period(YEAR))
    assert (own.projects, own.planned, own.allocated, own.disbursed) == (
        annual.project_count,
        annual.source_totals.planned,
        annual.source_totals.allocated,
        annual.source_totals.disbursed,
    )
    assert report.totals.planned == sum(r.planned for r in report.rows) == report.source_totals.planned


def test_programme_targets_count_outputs_of_its_plans_per_year_and_share_against_the_range_minimum(world):
    report = programme_report(programme=world.programme)
    target = report.targets[0]
    rows = sql(
        """SELECT ap.year, COALESCE(SUM(o.achieved), 0) FROM projects_projectoutput o
           JOIN projects_project p ON p.id = o.project_id JOIN programs_annualplan ap ON ap.id = p.plan_id
           JOIN places_administrativeunit u ON u.id = ap.province_id JOIN programs_indicator i ON i.id = o.indicator_id
           WHERE i.code = 'trainees' AND ap.year BETWEEN 2023 AND 2025
             AND (ap.programme_id = %(programme)s OR (ap.programme_id IS NULL AND ap.kind = 'kcdp'
                  AND u.current_province_id = %(province)s))
           GROUP BY ap.year""",
        programme=world.programme.pk,
        province=world.province.pk,
    )
    expected = {y: int(v) for y, v in rows}
    assert {y: v for y, v in target.by_year.items() if v} == {y: v for y, v in expected.items() if v}
    assert target.achieved == sum(expected.values())
    assert target.share == round(100 * target.achieved / 100, 1)
    assert target.target_text == "100–200"
    assert report.targets[1].share is None  # a qualitative target has no share
    kcdp = next(r for r in report.budget_rows if r.programme_budget)
    assert kcdp.allocated_by_year[2023] == 777_000_000
    assert kcdp.allocated == 777_000_000 + 1_144_000_000
    assert kcdp.share == round(100 * kcdp.allocated / 6_000_000_000, 1)


def test_report_of_an_empty_year_is_all_zero_not_an_error(world):
    empty = annual_report(province=world.province, period=Period(2031))
    assert empty.project_count == 0 and empty.source_totals.planned == 0
    assert [r.number for r in empty.by_content if r.number] == list(range(1, 10))


def test_period_labels_and_bounds():
    assert Period(2018).label == "năm 2018"
    assert Period(2018, half=1).label == "6 tháng đầu năm 2018"
    assert Period(2018, quarter=3).label == "quý III năm 2018"
    assert (Period(2018, quarter=3).start, Period(2018, quarter=3).end) == (
        datetime.date(2018, 7, 1),
        datetime.date(2018, 9, 30),
    )
    assert Period(2018, half=2).end == datetime.date(2018, 12, 31)
    assert Period.from_slug("2018-q3") == Period(2018, quarter=3)
    with pytest.raises(ValueError):
        Period.from_slug("2018-q5")


def test_a_bigger_world_gives_the_same_figures_to_both_query_paths(db):
    # Twice as many đề án, another seed: the national row and the province report still agree.
    world = build_world(n_projects=48, seed=11)
    annual = annual_report(province=world.province, period=Period(YEAR))
    national = national_report(period=Period(YEAR))
    own = next(r for r in national.rows if r.province_id == world.province.pk)
    assert own.planned == annual.source_totals.planned
    assert own.settled == annual.source_totals.settled


def test_places_group_old_communes_under_their_district_once_per_project_and_match_sql(world):
    # A đề án in two communes of one old district counts once there; one without a place has its own row.
    twice = next(p for p in world.projects if p.plan_id == world.plans[0].pk)
    district = world.districts[0]
    twice.sites.set([c for c in world.communes if c.parent_id == district.pk])
    nowhere = next(p for p in world.projects if p.plan_id == world.plans[1].pk and p.pk != twice.pk)
    nowhere.sites.clear()
    report = annual_report(province=world.province, period=Period(YEAR))
    scope = {"province": world.province.pk, "year": YEAR}
    rows = sql(
        f"""WITH s AS (
                SELECT DISTINCT s.project_id,
                       CASE WHEN u.level = 3 AND u.era = 'old' THEN COALESCE(u.parent_id, u.id) ELSE u.id END AS g
                FROM projects_project_sites s JOIN places_administrativeunit u ON u.id = s.administrativeunit_id
                WHERE s.project_id IN ({SCOPE})
            ),
            pp AS (SELECT project_id, SUM(amount) AS t FROM projects_budgetline GROUP BY project_id)
            SELECT g.full_name, COUNT(*), COALESCE(SUM(pp.t), 0)
            FROM s JOIN places_administrativeunit g ON g.id = s.g LEFT JOIN pp ON pp.project_id = s.project_id
            GROUP BY g.full_name""",
        **scope,
    )
    expected = {name: (n, int(t)) for name, n, t in rows}
    got = {r.unit_name: (r.projects, r.planned) for r in report.by_place if r.level != 9}
    assert got == expected
    assert got[district.full_name][0] >= 1
    communes = sql(
        f"""SELECT p.full_name, u.full_name FROM projects_project_sites s
            JOIN places_administrativeunit u ON u.id = s.administrativeunit_id
            JOIN places_administrativeunit p ON p.id = u.parent_id
            WHERE u.level = 3 AND u.era = 'old' AND s.project_id IN ({SCOPE})""",
        **scope,
    )
    listed = {}
    for district_name, commune_name in communes:
        listed.setdefault(district_name, set()).add(commune_name)
    assert {r.unit_name: set(r.communes) for r in report.by_place if r.communes} == listed
    without = sql(
        f"""SELECT COUNT(*), COALESCE(SUM((SELECT SUM(amount) FROM projects_budgetline b WHERE b.project_id = p.id)), 0)
            FROM projects_project p WHERE p.id IN ({SCOPE})
            AND NOT EXISTS (SELECT 1 FROM projects_project_sites s WHERE s.project_id = p.id)""",
        **scope,
    )[0]
    last = report.by_place[-1]
    assert (last.level, last.projects, last.planned) == (9, without[0], int(without[1]))
    assert without[0] >= 1


def test_notable_projects_are_the_five_largest_ties_by_code(world, report):
    rows = sql(
        f"""SELECT p.code, SUM(b.amount) AS t FROM projects_project p
            LEFT JOIN projects_budgetline b ON b.project_id = p.id
            WHERE p.id IN ({SCOPE}) GROUP BY p.id, p.code ORDER BY t DESC NULLS LAST, p.code LIMIT 5""",
        province=world.province.pk,
        year=YEAR,
    )
    assert [(p.code, p.planned) for p in report.notable] == [(code, int(t or 0)) for code, t in rows]


def test_national_source_and_status_rows_match_sql(world):
    report = national_report(period=Period(YEAR))
    year_scope = "SELECT p.id FROM projects_project p JOIN programs_annualplan ap ON ap.id = p.plan_id WHERE ap.year = %(year)s"
    planned = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_budgetline WHERE project_id IN ({year_scope}) GROUP BY 1",
            year=YEAR,
        )
    )
    advanced = by_key(
        sql(
            f"""SELECT source_id, SUM(amount) FROM projects_advance WHERE status = 'approved'
                AND project_id IN ({year_scope}) GROUP BY 1""",
            year=YEAR,
        )
    )
    disbursed = by_key(
        sql(
            f"SELECT source_id, SUM(amount) FROM projects_disbursement WHERE project_id IN ({year_scope}) GROUP BY 1",
            year=YEAR,
        )
    )
    settled = by_key(
        sql(
            f"""SELECT s.source_id, SUM(s.amount) FROM projects_settlementline s
                JOIN projects_project p ON p.id = s.project_id
                WHERE s.project_id IN ({year_scope})
                AND (p.settlement_decision_date IS NULL OR p.settlement_decision_date <= '2024-12-31')
                GROUP BY 1""",
            year=YEAR,
        )
    )
    for field, expected in (
        ("planned", planned),
        ("advanced", advanced),
        ("disbursed", disbursed),
        ("settled", settled),
    ):
        got = {r.source_id: getattr(r, field) for r in report.by_source if getattr(r, field)}
        assert got == {k: v for k, v in expected.items() if v}, field
    by_status = sql(
        f"""SELECT p.status, COUNT(DISTINCT p.id), COALESCE(SUM(b.amount), 0) FROM projects_project p
            LEFT JOIN projects_budgetline b ON b.project_id = p.id
            WHERE p.id IN ({year_scope}) GROUP BY p.status""",
        year=YEAR,
    )
    assert {r.status: (r.count, r.planned) for r in report.by_status} == {
        s: (n, int(t)) for s, n, t in by_status
    }
    per_province = by_key(
        sql(
            f"""SELECT p.province_id, SUM(d.amount) FROM projects_disbursement d
                JOIN projects_project p ON p.id = d.project_id WHERE p.id IN ({year_scope}) GROUP BY 1""",
            year=YEAR,
        )
    )
    assert {r.province_id: r.disbursed for r in report.rows if r.disbursed} == per_province


def test_dashboards_show_the_figures_of_the_reports(world):
    from reports.selectors import dashboard

    shown = ("planned", "allocated", "disbursed", "settled")
    national = national_report(period=Period(YEAR), user=world.ministry)
    board = dashboard(world.ministry, year=YEAR)
    assert [tuple(getattr(r, f) for f in shown) for r in board.by_source] == [
        tuple(getattr(r, f) for f in shown) for r in national.by_source
    ]
    assert board.provinces == national.rows and board.province_totals == national.totals
    assert [(r.status, r.count) for r in board.by_status] == [(r.status, r.count) for r in national.by_status]
    annual = annual_report(province=world.province, period=Period(YEAR), user=world.leader)
    board = dashboard(world.leader, year=YEAR)
    assert [tuple(getattr(r, f) for f in shown) for r in board.by_source] == [
        tuple(getattr(r, f) for f in shown) for r in annual.by_source
    ]
    assert [(r.status, r.count, r.planned) for r in board.by_status] == [
        (r.status, r.count, r.planned) for r in annual.by_status
    ]
    assert board.totals.planned == annual.source_totals.planned > 0


def test_dashboard_programme_progress_counts_what_the_programme_report_counts(world):
    from projects.models import ProjectOutput
    from reports.selectors import dashboard
    from tests.factories import indicator

    # Outputs both on the programme's own plan (the year before) and on the province's unlinked local plan.
    linked = next(p for p in world.projects if p.plan_id == world.all_plans[-1].pk)
    unlinked = next(p for p in world.projects if p.plan_id == world.plans[0].pk)
    for project, achieved in ((linked, 7), (unlinked, 5)):
        ProjectOutput.objects.update_or_create(
            project=project, indicator=indicator("trainees"), defaults={"planned": 10, "achieved": achieved}
        )
    for user in (world.leader, world.ministry):
        board = dashboard(user, year=YEAR)
        progress = next(p for p in board.programmes if p.programme.pk == world.programme.pk)
        report = programme_report(programme=world.programme, user=user)
        quantified = [t for t in report.targets if t.quantified]
        assert [t["achieved"] for t in progress.targets] == [t.achieved for t in quantified]
        assert progress.targets[0]["achieved"] > 0


def test_a_plan_whose_year_is_corrected_takes_its_projects_to_the_other_years_report(world):
    plan = world.plans[0]
    moved = sum(1 for p in world.projects if p.plan_id == plan.pk)
    before = annual_report(province=world.province, period=Period(YEAR)).project_count
    plan.year = YEAR + 1
    plan.save()
    assert annual_report(province=world.province, period=Period(YEAR)).project_count == before - moved
    assert annual_report(province=world.province, period=Period(YEAR + 1)).project_count == moved > 0
    national = national_report(period=Period(YEAR + 1))
    assert national.totals.projects == moved


def test_project_list_money_by_source_and_beneficiaries_match_sql(world):
    from projects.models import Project
    from reports.selectors import project_list

    report = project_list(projects=Project.objects.filter(province=world.province), description="")
    by_source = {}
    for project_id, source_id, total in sql(
        """SELECT b.project_id, b.source_id, SUM(b.amount) FROM projects_budgetline b
           JOIN projects_project p ON p.id = b.project_id WHERE p.province_id = %(province)s GROUP BY 1, 2""",
        province=world.province.pk,
    ):
        by_source.setdefault(project_id, {})[source_id] = int(total)
    links = by_key(
        sql(
            """SELECT l.project_id, COUNT(*) FROM projects_projectbeneficiary l
               JOIN projects_project p ON p.id = l.project_id WHERE p.province_id = %(province)s GROUP BY 1""",
            province=world.province.pk,
        )
    )
    assert len(report.rows) == Project.objects.filter(province=world.province).count() > 0
    assert {r.id: r.by_source for r in report.rows if r.by_source} == by_source
    assert {r.id: r.beneficiaries for r in report.rows if r.beneficiaries} == links
    assert report.total_planned == sum(sum(v.values()) for v in by_source.values())


def test_a_project_without_budget_lines_is_counted_with_no_money(world, report):
    from tests.factories import ProjectFactory

    ProjectFactory(plan=world.plans[0], kind=world.plans[0].kind, status="approved")
    again = annual_report(province=world.province, period=Period(YEAR))
    assert again.project_count == report.project_count + 1
    assert again.source_totals.planned == report.source_totals.planned
    assert again.status_total_planned == again.content_planned_total == again.source_totals.planned
    assert sum(r.projects for r in again.by_place if r.level == 9) == 1
    assert [r.planned for r in again.by_place if r.level == 9] == [0]
    assert [p.planned for p in again.notable] == [p.planned for p in report.notable]


def test_money_figures_are_whole_integers(world, report):
    figures = [r.planned for r in report.by_source + report.by_content + report.by_status + report.by_place]
    figures += [p.planned for p in report.notable]
    assert figures and all(type(f) is int for f in figures)


def test_a_user_of_no_province_sees_an_empty_report(world):
    from tests.factories import UserFactory

    nobody = UserFactory(username="khong.thuoc.tinh.nao")  # neither the Ministry nor a province's agency
    seen = annual_report(province=world.province, period=Period(YEAR), user=nobody)
    assert seen.project_count == 0 and seen.source_totals.planned == 0
    assert seen.by_place == [] and seen.notable == []
    assert national_report(period=Period(YEAR), user=nobody).totals.projects == 0
