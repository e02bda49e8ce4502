"""One owner for every table's shape: a migration touches only its own app's tables, and the indexes that
PostgreSQL alone gets are declared in the models' Meta (khuyencong.indexes) and present after migrating."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from khuyencong.indexes import PostgresGinIndex, PostgresIndex

ROOT = Path(settings.BASE_DIR)


def _tables_by_app() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        tables.setdefault(model._meta.app_label, set()).add(model._meta.db_table)
    return tables


def foreign_tables_mentioned(app_label: str, text: str, tables: dict[str, set[str]]) -> set[str]:
    """The tables of other apps that a migration's text names (raw SQL, RunPython's SQL, anything)."""
    words = set(re.findall(r"\b[a-z][a-z0-9_]*\b", text))
    return {table for label, own in tables.items() if label != app_label for table in own & words}


def test_no_migration_names_a_table_of_another_app():
    tables = _tables_by_app()
    offences = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if not folder.is_dir() or ROOT not in folder.parents:
            continue  # Django's and libraries' own apps
        for path in sorted(folder.glob("[0-9]*.py")):
            found = foreign_tables_mentioned(config.label, path.read_text(encoding="utf-8"), tables)
            if found:
                offences.append(f"{path.relative_to(ROOT)}: {sorted(found)}")
    assert offences == []


def test_the_scan_sees_raw_sql_on_another_apps_table():
    # What khuyencong 0001 used to run: it must count as touching the projects and beneficiaries tables.
    old = 'schema_editor.execute("CREATE INDEX project_search_trgm ON projects_project USING gin (search_text)")'
    assert foreign_tables_mentioned("khuyencong", old, _tables_by_app()) == {"projects_project"}
    assert foreign_tables_mentioned("projects", old, _tables_by_app()) == set()


def _postgres_only_indexes():
    for model in apps.get_models():
        for index in model._meta.indexes:
            if isinstance(index, PostgresIndex | PostgresGinIndex):
                yield model._meta.db_table, index.name


def test_postgres_only_indexes_are_declared_on_their_models():
    declared = {name for _table, name in _postgres_only_indexes()}
    assert {
        "project_search_trgm",
        "beneficiary_search_trgm",
        "beneficiary_tax_code_prefix",
        "project_year_report_cover",
        "output_achieved_indic_cover",
    } <= declared


@pytest.mark.django_db
def test_migrated_database_has_exactly_the_declared_postgres_indexes():
    """PostgreSQL: every declared index exists on its table; SQLite: none of them does (it gets no SQL)."""
    with connection.cursor() as cursor:
        present = {
            (table, name)
            for table, name in _postgres_only_indexes()
            if name in connection.introspection.get_constraints(cursor, table)
        }
    expected = set(_postgres_only_indexes()) if connection.vendor == "postgresql" else set()
    assert present == expected


def _comparison():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "compare_index_schema", ROOT / "scripts" / "compare_index_schema.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compare


def test_the_schema_comparison_tells_a_rename_from_a_changed_definition():
    compare = _comparison()
    before = {
        "old_cover": "CREATE INDEX old_cover ON public.t USING btree (a) INCLUDE (b)",
        "kept": "CREATE INDEX kept ON public.t USING btree (c)",
    }
    renamed = {"new_cover": before["old_cover"].replace("old_cover", "new_cover"), "kept": before["kept"]}
    assert compare(before, renamed) == ([("old_cover", "new_cover")], [])
    changed = {**renamed, "kept": "CREATE INDEX kept ON public.t USING btree (c) WHERE (c IS NOT NULL)"}
    renames, differences = compare(before, changed)
    assert renames == [("old_cover", "new_cover")]
    assert differences == [
        "- CREATE INDEX ON public.t USING btree (c)",
        "+ CREATE INDEX ON public.t USING btree (c) WHERE (c IS NOT NULL)",
    ]
