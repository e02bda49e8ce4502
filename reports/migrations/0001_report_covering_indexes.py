"""Covering indexes for the report aggregates (PostgreSQL only), chosen from EXPLAIN (ANALYZE, BUFFERS) on the
national dataset (docs/performance.md).

- The year's đề án are found from their plans by `project_plan_cover`; the settled money also needs each
  đề án's settlement decision date, and the notable đề án their code (ties broken by code): without them in the
  index, PostgreSQL reads 24.000 wide đề án rows (≈ 1 KB each) from the heap for a national year (settled
  money by province and source: 105 ms). `project_plan_report_cover` holds them too and replaces the old index.
- Beneficiaries by kind join each đề án–beneficiary link to its beneficiary for the kind and the women-owned
  and ethnic-minority flags: 14.000 random reads of the 440 MB beneficiary table for one province's year
  (120 ms). With the link's amounts and the beneficiary's flags INCLUDEd, both sides are index-only.

On SQLite nothing is created.
"""

from django.db import migrations

INDEXES = [
    (
        "project_plan_report_cover",
        "projects_project",
        "(plan_id) INCLUDE (id, province_id, status, settlement_decision_date, code)",
    ),
    (
        "projectbeneficiary_project_cover",
        "projects_projectbeneficiary",
        "(project_id) INCLUDE (beneficiary_id, support_amount, counterpart_amount, counterpart_committed)",
    ),
    (
        "beneficiary_report_cover",
        "beneficiaries_beneficiary",
        "(id) INCLUDE (kind_id, women_owned, ethnic_minority)",
    ),
]
# Replaced by project_plan_report_cover, which holds the same columns and more.
REPLACED = ("project_plan_cover", "projects_project", "(plan_id) INCLUDE (id, province_id, status)")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {REPLACED[0]}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name, table, columns = REPLACED
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("khuyencong", "0004_project_status_cover"),
        ("projects", "0005_project_year"),
        ("beneficiaries", "0003_list_order_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
