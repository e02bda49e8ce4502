"""PostgreSQL-only indexes emit nothing elsewhere, whichever way they reach the schema editor, and
AdoptIndex keeps (renames) an index an older raw-SQL migration built instead of building it again."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState

from khuyencong.indexes import AdoptIndex, PostgresIndex
from projects.models import Project, ProjectOutput


@pytest.mark.django_db(transaction=True)
def test_sqlite_gets_a_comment_for_every_postgres_only_index():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    gin = next(i for i in Project._meta.indexes if i.name == "project_search_trgm")
    with connection.schema_editor() as editor:
        assert str(gin.create_sql(Project, editor)) == "-- project_search_trgm: PostgreSQL only"
        # SQLite rebuilds a table (and re-creates every Meta index) on most AlterField: it must not fail.
        editor._remake_table(Project)
        editor.add_index(Project, gin)
        editor.remove_index(Project, gin)
    with connection.cursor() as cursor:
        assert "project_search_trgm" not in connection.introspection.get_constraints(
            cursor, "projects_project"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_adopt_index_renames_the_legacy_index_instead_of_building_it():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL")
    index = next(i for i in ProjectOutput._meta.indexes if i.name == "output_achieved_indic_cover")
    legacy = "output_achieved_indicator_cover"
    table = ProjectOutput._meta.db_table

    def oid(name):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)::oid", [name])
            return cursor.fetchone()[0]

    with connection.schema_editor() as editor:
        editor.execute(f"ALTER INDEX {index.name} RENAME TO {legacy}")
    before = oid(legacy)
    state = ProjectState.from_apps(apps)
    operation = AdoptIndex(
        "projectoutput",
        PostgresIndex(fields=index.fields, include=index.include, condition=index.condition, name=index.name),
        legacy_name=legacy,
    )
    try:
        with connection.schema_editor() as editor:
            operation.database_forwards("projects", editor, state, state)
        assert oid(legacy) is None
        assert oid(index.name) == before  # the same index, renamed: nothing was built
    finally:
        if oid(legacy) is not None:
            with connection.schema_editor() as editor:
                editor.execute(f"ALTER INDEX {legacy} RENAME TO {index.name}")
    with connection.cursor() as cursor:
        assert index.name in connection.introspection.get_constraints(cursor, table)
