"""The floor for the report aggregates: the same figures as reports.selectors, by one hand-written query.

Each query is one round trip: common table expressions pick the đề án once, every section is aggregated
in the database and returned as one JSON document. What Python would do afterwards (labels, sorting a few
dozen rows) is not counted, so the ORM is measured against the cheapest way to get the numbers.
"""

from __future__ import annotations

import datetime
import json

from django.db import connection

PROVINCE_SQL = """
WITH p AS (
    SELECT pr.id, pr.status, pr.settlement_decision_date
    FROM projects_project pr JOIN programs_annualplan pl ON pl.id = pr.plan_id
    WHERE pr.province_id = %(province)s AND pl.year = %(year)s
),
plans AS (
    SELECT pl.id, pl.kind, pl.declared_project_count FROM programs_annualplan pl
    JOIN places_administrativeunit u ON u.id = pl.province_id
    WHERE u.current_province_id = %(province)s AND pl.year = %(year)s
),
lines AS (
    SELECT bl.project_id, bl.source_id, bl.content_id, bl.amount, p.status
    FROM projects_budgetline bl JOIN p ON p.id = bl.project_id
),
planned_by_project AS (SELECT project_id, SUM(amount) AS total FROM lines GROUP BY project_id),
status AS (
    SELECT p.status, COUNT(*) AS n, COALESCE(SUM(pp.total), 0) AS planned
    FROM p LEFT JOIN planned_by_project pp ON pp.project_id = p.id GROUP BY p.status
),
planned AS (SELECT source_id, SUM(amount) AS total FROM lines GROUP BY source_id),
allocated AS (
    SELECT a.source_id, SUM(a.amount) AS total FROM programs_planallocation a JOIN plans ON plans.id = a.plan_id
    GROUP BY a.source_id
),
advanced AS (
    SELECT a.source_id, SUM(a.amount) AS total FROM projects_advance a JOIN p ON p.id = a.project_id
    WHERE a.status = 'approved' AND a.decision_date <= %(end)s GROUP BY a.source_id
),
disbursed AS (
    SELECT d.source_id, SUM(d.amount) AS total FROM projects_disbursement d JOIN p ON p.id = d.project_id
    WHERE d.paid_on <= %(end)s GROUP BY d.source_id
),
settled AS (
    SELECT s.source_id, SUM(s.amount) AS total FROM projects_settlementline s JOIN p ON p.id = s.project_id
    WHERE p.settlement_decision_date IS NULL OR p.settlement_decision_date <= %(end)s GROUP BY s.source_id
),
links AS (
    SELECT pb.*, b.kind_id, b.women_owned, b.ethnic_minority
    FROM projects_projectbeneficiary pb JOIN p ON p.id = pb.project_id
    JOIN beneficiaries_beneficiary b ON b.id = pb.beneficiary_id
),
counterpart AS (
    SELECT SUM(counterpart_amount) FILTER (WHERE counterpart_committed) AS committed,
           COUNT(DISTINCT beneficiary_id) FILTER (WHERE counterpart_committed) AS beneficiaries,
           COUNT(*) FILTER (WHERE counterpart_committed) AS links
    FROM links
),
kinds AS (
    SELECT kind_id, COUNT(DISTINCT beneficiary_id) AS beneficiaries, COUNT(DISTINCT project_id) AS projects,
           COUNT(DISTINCT beneficiary_id) FILTER (WHERE women_owned) AS women,
           COUNT(DISTINCT beneficiary_id) FILTER (WHERE ethnic_minority) AS ethnic,
           SUM(support_amount) AS support, SUM(counterpart_amount) AS counterpart
    FROM links GROUP BY kind_id
),
contents AS (
    SELECT c.activitycontent_id AS content_id, COUNT(DISTINCT c.project_id) AS n
    FROM projects_project_contents c JOIN p ON p.id = c.project_id GROUP BY 1
),
content_planned AS (SELECT content_id, SUM(amount) AS total FROM lines GROUP BY content_id),
places AS (
    SELECT CASE WHEN u.level = 3 AND u.era = 'old' THEN COALESCE(u.parent_id, u.id) ELSE u.id END AS unit_id,
           COUNT(DISTINCT s.project_id) AS projects, SUM(COALESCE(pp.total, 0)) AS planned
    FROM projects_project_sites s JOIN p ON p.id = s.project_id
    JOIN places_administrativeunit u ON u.id = s.administrativeunit_id
    LEFT JOIN planned_by_project pp ON pp.project_id = s.project_id
    GROUP BY 1
),
outputs AS (
    SELECT o.indicator_id, COUNT(DISTINCT o.project_id) AS projects, SUM(o.planned) AS planned,
           SUM(o.achieved) AS achieved
    FROM projects_projectoutput o JOIN p ON p.id = o.project_id GROUP BY o.indicator_id
),
notable AS (
    SELECT pp.project_id, pp.total FROM planned_by_project pp ORDER BY pp.total DESC, pp.project_id LIMIT 5
),
notable_sources AS (
    SELECT l.project_id, l.source_id, SUM(l.amount) AS total FROM lines l JOIN notable n USING (project_id)
    GROUP BY 1, 2
),
declared AS (
    SELECT plans.id, plans.declared_project_count, (SELECT COUNT(*) FROM projects_project x WHERE x.plan_id = plans.id) AS entered
    FROM plans
)
SELECT json_build_object(
    'status', (SELECT json_agg(r) FROM status r),
    'planned', (SELECT json_agg(r) FROM planned r),
    'allocated', (SELECT json_agg(r) FROM allocated r),
    'advanced', (SELECT json_agg(r) FROM advanced r),
    'disbursed', (SELECT json_agg(r) FROM disbursed r),
    'settled', (SELECT json_agg(r) FROM settled r),
    'counterpart', (SELECT row_to_json(r) FROM counterpart r),
    'kinds', (SELECT json_agg(r) FROM kinds r),
    'contents', (SELECT json_agg(r) FROM contents r),
    'content_planned', (SELECT json_agg(r) FROM content_planned r),
    'places', (SELECT json_agg(r) FROM places r),
    'outputs', (SELECT json_agg(r) FROM outputs r),
    'notable', (SELECT json_agg(r) FROM notable_sources r),
    'declared', (SELECT json_agg(r) FROM declared r)
)
"""

NATIONAL_SQL = """
WITH p AS (
    SELECT pr.id, pr.province_id, pr.status, pr.settlement_decision_date
    FROM projects_project pr JOIN programs_annualplan pl ON pl.id = pr.plan_id WHERE pl.year = %(year)s
),
plans AS (
    SELECT pl.id, u.current_province_id AS province_id, pl.declared_project_count
    FROM programs_annualplan pl JOIN places_administrativeunit u ON u.id = pl.province_id
    WHERE pl.year = %(year)s
),
lines AS (
    SELECT bl.source_id, bl.amount, p.province_id, p.status
    FROM projects_budgetline bl JOIN p ON p.id = bl.project_id
),
counts AS (
    SELECT province_id, COUNT(*) AS n,
           COUNT(*) FILTER (WHERE status IN ('approved', 'contracted', 'in_progress', 'adjusting', 'accepted', 'closed', 'settled')) AS approved,
           COUNT(*) FILTER (WHERE status IN ('accepted', 'closed', 'settled')) AS finished
    FROM p GROUP BY province_id
),
planned_province AS (SELECT province_id, SUM(amount) AS total FROM lines GROUP BY province_id),
planned_source AS (SELECT source_id, SUM(amount) AS total FROM lines GROUP BY source_id),
planned_status AS (SELECT status, SUM(amount) AS total FROM lines GROUP BY status),
status AS (SELECT status, COUNT(*) AS n FROM p GROUP BY status),
alloc AS (
    SELECT plans.province_id, a.source_id, SUM(a.amount) AS total
    FROM programs_planallocation a JOIN plans ON plans.id = a.plan_id GROUP BY GROUPING SETS ((1), (2))
),
declared AS (SELECT province_id, SUM(declared_project_count) AS total FROM plans GROUP BY province_id),
advanced AS (
    SELECT a.source_id, SUM(a.amount) AS total FROM projects_advance a JOIN p ON p.id = a.project_id
    WHERE a.status = 'approved' AND a.decision_date <= %(end)s GROUP BY a.source_id
),
disbursed AS (
    SELECT p.province_id, d.source_id, SUM(d.amount) AS total FROM projects_disbursement d JOIN p ON p.id = d.project_id
    WHERE d.paid_on <= %(end)s GROUP BY GROUPING SETS ((p.province_id), (d.source_id))
),
settled AS (
    SELECT p.province_id, s.source_id, SUM(s.amount) AS total FROM projects_settlementline s JOIN p ON p.id = s.project_id
    WHERE p.settlement_decision_date IS NULL OR p.settlement_decision_date <= %(end)s
    GROUP BY GROUPING SETS ((p.province_id), (s.source_id))
)
SELECT json_build_object(
    'counts', (SELECT json_agg(r) FROM counts r),
    'planned_province', (SELECT json_agg(r) FROM planned_province r),
    'planned_source', (SELECT json_agg(r) FROM planned_source r),
    'planned_status', (SELECT json_agg(r) FROM planned_status r),
    'status', (SELECT json_agg(r) FROM status r),
    'allocated', (SELECT json_agg(r) FROM alloc r),
    'declared', (SELECT json_agg(r) FROM declared r),
    'advanced', (SELECT json_agg(r) FROM advanced r),
    'disbursed', (SELECT json_agg(r) FROM disbursed r),
    'settled', (SELECT json_agg(r) FROM settled r)
)
"""


def _run(sql: str, params: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        value = cursor.fetchone()[0]
    # Django turns off psycopg2's JSON decoding; decoding is part of the floor's cost.
    return json.loads(value) if isinstance(value, str) else value


def province_params(province_id: int, year: int) -> dict:
    end = datetime.date(year, 12, 31)
    return {"province": province_id, "year": year, "end": end, "tz": "Asia/Ho_Chi_Minh"}


def national_params(year: int) -> dict:
    return {"year": year, "end": datetime.date(year, 12, 31), "tz": "Asia/Ho_Chi_Minh"}


def province_figures(province_id: int, year: int) -> dict:
    return _run(PROVINCE_SQL, province_params(province_id, year))


def national_figures(year: int) -> dict:
    return _run(NATIONAL_SQL, national_params(year))
