"""Covering indexes for the report aggregates (PostgreSQL only), chosen from EXPLAIN ANALYZE on the national
dataset (docs/performance.md).

The reports select a year's đề án through their plan and sum their budget lines, advances, payments,
settlements and outputs. With only the single-column foreign-key indexes, PostgreSQL reads the wide project
rows (≈ 1 KB each) and every child row from the heap; with the columns the sums need INCLUDEd, the same
queries run as index-only scans (once VACUUM has set the visibility map). On SQLite nothing is created.
"""

from django.db import migrations

INDEXES = [
    ("project_plan_cover", "projects_project", "(plan_id) INCLUDE (id, province_id, status)"),
    ("budgetline_project_cover", "projects_budgetline", "(project_id) INCLUDE (source_id, content_id, amount)"),
    ("output_project_cover", "projects_projectoutput", "(project_id) INCLUDE (indicator_id, planned, achieved)"),
    ("advance_project_cover", "projects_advance", "(project_id) INCLUDE (source_id, status, amount, decided_at)"),
    ("disbursement_project_cover", "projects_disbursement", "(project_id) INCLUDE (source_id, amount, paid_on)"),
    ("settlementline_project_cover", "projects_settlementline", "(project_id) INCLUDE (source_id, amount)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("khuyencong", "0002_tax_code_prefix_index"),
        ("projects", "0003_national_step_roles"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
