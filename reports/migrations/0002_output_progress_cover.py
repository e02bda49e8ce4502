"""The dashboard's programme progress sums the achieved outputs of the targeted indicators over a programme's
years (2021–2025: 114.000 đề án). Without an index for it PostgreSQL reads the whole output table and hashes
every đề án of those years; this partial index holds only the outputs with an achieved figure, by indicator,
with the đề án and the figure, so the targeted indicators' outputs are read from the index alone
(docs/performance.md). PostgreSQL only; on SQLite nothing is created."""

from django.db import migrations

NAME = "output_achieved_indicator_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON projects_projectoutput (indicator_id, project_id) "
        "INCLUDE (achieved) WHERE achieved IS NOT NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_report_covering_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
