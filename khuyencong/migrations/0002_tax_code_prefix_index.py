"""Beneficiary search is `search_text LIKE '%…%' OR tax_code LIKE '…%'`: PostgreSQL combines two indexes
(BitmapOr) only when both sides have one. Without this pattern index on tax_code the trigram index is
ignored and the whole table is scanned (see docs/performance.md). PostgreSQL only."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS beneficiary_tax_code_prefix "
        "ON beneficiaries_beneficiary (tax_code varchar_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS beneficiary_tax_code_prefix")


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0001_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
