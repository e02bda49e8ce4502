"""The reports find a year's đề án by the year each đề án keeps from its plan (projects.Project.year): with
the province after the year and every column the report queries need from the đề án INCLUDEd, a year's
đề án (or one province's) are one range of this index, read without the heap; no join from the year's plans.
It replaces the index by province and plan of reports 0003 (docs/performance.md). PostgreSQL only; on SQLite
nothing is created."""

from django.db import migrations

NAME = "project_year_report_cover"
REPLACED = (
    "project_province_plan_cover",
    "(province_id, plan_id) INCLUDE (id, status, settlement_decision_date, code)",
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON projects_project (year, province_id) "
        "INCLUDE (id, status, settlement_decision_date, code, plan_id)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {REPLACED[0]}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {REPLACED[0]} ON projects_project {REPLACED[1]}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_project_province_plan_cover")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
