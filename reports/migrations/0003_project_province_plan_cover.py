"""A province's report finds its đề án from the year's plans and the province: with only the plan in the index,
PostgreSQL reads the year's 24.000 index entries and keeps the 5.434 of the province, in each of the report's
grouped queries (about 2 ms each, a dozen times). With the province first, it reads only the province's
entries, with every column the report's queries need from the đề án (docs/performance.md). PostgreSQL only;
on SQLite nothing is created."""

from django.db import migrations

NAME = "project_province_plan_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON projects_project (province_id, plan_id) "
        "INCLUDE (id, status, settlement_decision_date, code)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_output_progress_cover")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
