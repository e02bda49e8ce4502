"""The PostgreSQL-only indexes of the đề án tables, now declared in their models' Meta (khuyencong.indexes).

They were made by raw SQL in khuyencong 0001–0004 and reports 0001–0004, which are empty now (see
docs/architecture.md, "Indexes"). On a database those migrations already ran on, `AdoptIndex` keeps each
index (nothing is built) and renames the two whose old names were longer than Django's 30 characters; on a
fresh PostgreSQL database they are created here with the same definitions; on SQLite nothing is created.

Two indexes that later raw-SQL migrations replaced (`project_plan_cover`, `project_province_plan_cover`) can
only remain on a database stopped between those migrations: they are dropped if present.
"""

from django.conf import settings
from django.db import migrations, models

import khuyencong.indexes

REPLACED = ("project_plan_cover", "project_province_plan_cover")


def drop_replaced(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0005_postgres_indexes_in_meta"),
        ("places", "0001_initial"),
        ("programs", "0002_target_tracked_by_hand"),
        ("projects", "0010_national_procedure"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_replaced, migrations.RunPython.noop, elidable=True),
        khuyencong.indexes.AdoptIndex(
            model_name="project",
            index=khuyencong.indexes.PostgresGinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="project_search_trgm"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="project",
            index=khuyencong.indexes.PostgresIndex(
                fields=["status"], include=("plan", "code", "id", "province"), name="project_status_cover"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="project",
            index=khuyencong.indexes.PostgresIndex(
                fields=["plan"],
                include=("id", "province", "status", "settlement_decision_date", "code"),
                name="project_plan_report_cover",
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="project",
            index=khuyencong.indexes.PostgresIndex(
                fields=["year", "province"],
                include=("id", "status", "settlement_decision_date", "code", "plan"),
                name="project_year_report_cover",
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="projectbeneficiary",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"],
                include=("beneficiary", "support_amount", "counterpart_amount", "counterpart_committed"),
                name="projectbenef_project_cover",
            ),
            legacy_name="projectbeneficiary_project_cover",
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="budgetline",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"], include=("source", "content", "amount"), name="budgetline_project_cover"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="projectoutput",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"], include=("indicator", "planned", "achieved"), name="output_project_cover"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="projectoutput",
            index=khuyencong.indexes.PostgresIndex(
                condition=models.Q(("achieved__isnull", False)),
                fields=["indicator", "project"],
                include=("achieved",),
                name="output_achieved_indic_cover",
            ),
            legacy_name="output_achieved_indicator_cover",
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="advance",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"], include=("source", "status", "amount", "decided_at"), name="advance_project_cover"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="disbursement",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"], include=("source", "amount", "paid_on"), name="disbursement_project_cover"
            ),
        ),
        khuyencong.indexes.AdoptIndex(
            model_name="settlementline",
            index=khuyencong.indexes.PostgresIndex(
                fields=["project"], include=("source", "amount"), name="settlementline_project_cover"
            ),
        ),
    ]
