"""Indexes that exist on PostgreSQL only, declared in the owning model's `Meta` like any other index.

The portal runs on SQLite too (the default database, the test suite). A trigram GIN index, a pattern-ops
B-tree or a covering `INCLUDE` index is a PostgreSQL tuning: SQLite cannot build the first and would build
the others as plain duplicates of the foreign-key indexes. These subclasses emit their SQL on PostgreSQL and
an SQL comment (a statement that does nothing) on any other database, whichever way the index reaches the
schema editor: `AddIndex`/`RemoveIndex`/`RenameIndex`, `CreateModel`, or SQLite's table rebuild on a later
`AlterField` (which re-creates every index of `Meta.indexes`).

`AdoptIndex` is `AddIndex` for an index that an earlier raw-SQL migration may already have built, possibly
under another name: it renames such an index instead of building it again (see docs/architecture.md).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models


class _NoSQL:
    """What a PostgreSQL-only index gives other databases: a comment, so `sqlmigrate` says why it is empty."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"-- {self.name}: PostgreSQL only"


class PostgresOnlyMixin:
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NoSQL(self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NoSQL(self.name)
        return super().remove_sql(model, schema_editor, **kwargs)


class PostgresIndex(PostgresOnlyMixin, models.Index):
    """A B-tree that only PostgreSQL gets: covering (`include=`), partial (`condition=`) or `opclasses=`."""


class PostgresGinIndex(PostgresOnlyMixin, GinIndex):
    """A GIN index (e.g. trigram: `opclasses=["gin_trgm_ops"]`), PostgreSQL only."""


class AdoptIndex(migrations.AddIndex):
    """Add `index` to the model, adopting the index an earlier raw-SQL migration built for it.

    If the table already has an index named `index.name` nothing is built; if it has one named
    `legacy_name` it is renamed (`ALTER INDEX … RENAME`, no rebuild); otherwise the index is created.
    The name is trusted to mean the definition: scripts/compare_index_schema.py checks that it does.
    Reversing removes the index, as `AddIndex` does.
    """

    def __init__(self, model_name: str, index: models.Index, legacy_name: str | None = None) -> None:
        super().__init__(model_name, index)
        self.legacy_name = legacy_name or index.name

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        if self.legacy_name != self.index.name:
            kwargs["legacy_name"] = self.legacy_name
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
        if self.index.name in existing:
            return
        if self.legacy_name in existing and connection.features.can_rename_index:
            legacy = self.index.clone()
            legacy.name = self.legacy_name
            schema_editor.rename_index(model, legacy, self.index)
            return
        schema_editor.add_index(model, self.index)

    def describe(self):
        return f"Adopt index {self.index.name} on {self.model_name} (formerly {self.legacy_name})"
