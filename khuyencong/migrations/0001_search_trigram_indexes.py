"""Accent-insensitive search backed by an index on PostgreSQL: pg_trgm GIN indexes on the folded columns.

`search_text` already holds the accent-folded text (khuyencong.vn_text.fold_accents), so a trigram index
serves `search_text LIKE '%…%'` (Django's `__contains`) directly; `unaccent` is installed for searches over
columns that carry no folded copy. On SQLite this migration does nothing: the folded column is scanned.
"""

from django.db import migrations

INDEXES = [
    ("beneficiary_search_trgm", "beneficiaries_beneficiary", "search_text"),
    ("project_search_trgm", "projects_project", "search_text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0001_initial"),
        ("projects", "0003_national_step_roles"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
