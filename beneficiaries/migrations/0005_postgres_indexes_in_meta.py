"""The beneficiary table's PostgreSQL-only indexes, now declared in Beneficiary.Meta (khuyencong.indexes).

They were made by raw SQL in khuyencong 0001–0002 and reports 0001, which are empty now (see
docs/architecture.md, "Indexes"). On a database those migrations already ran on, the indexes exist under the
same names and `AdoptIndex` keeps them (nothing is built); on a fresh PostgreSQL database they are created
here, with the same definitions; on SQLite nothing is created. The extensions were installed by khuyencong
0001 too: `CREATE EXTENSION IF NOT EXISTS`, so an existing database is left as it is.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

import khuyencong.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0004_tax_code_unique_in_province"),
        ("places", "0001_initial"),
    ]

    operations = [
        # pg_trgm for the trigram indexes here and in projects; unaccent for searches over columns that
        # carry no accent-folded copy. Both do nothing on SQLite.
        TrigramExtension(),
        UnaccentExtension(),
        khuyencong.indexes.AdoptIndex(
            model_name="beneficiary",
            index=khuyencong.indexes.PostgresGinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="beneficiary_search_trgm"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="beneficiary",
            index=khuyencong.indexes.PostgresIndex(
                fields=["tax_code"], name="beneficiary_tax_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="beneficiary",
            index=khuyencong.indexes.PostgresIndex(
                fields=["id"], include=("kind", "women_owned", "ethnic_minority"), name="beneficiary_report_cover"
            ),
        ),
    ]
