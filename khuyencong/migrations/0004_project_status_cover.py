"""The đề án list filtered by status and sorted by year and code (its default order), paged by keys first
(khuyencong.pagination): with the columns it reads INCLUDEd, PostgreSQL answers from the index alone instead
of scanning the wide project rows (EXPLAIN ANALYZE on the national dataset: 142 ms to 54 ms for page 1 of
the 116.679 settled đề án; docs/performance.md). PostgreSQL only."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS project_status_cover "
        "ON projects_project (status) INCLUDE (plan_id, code, id, province_id)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS project_status_cover")


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0003_covering_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
