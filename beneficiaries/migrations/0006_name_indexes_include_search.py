"""The name-order indexes of the beneficiary list also hold the searched columns (INCLUDE, PostgreSQL only;
other databases build the same plain indexes as before), so a search's first page is an Index Only Scan."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0005_postgres_indexes_in_meta"),
        ("places", "0001_initial"),
    ]

    # The new indexes first, so the list keeps an index for its order while the old ones go.
    operations = [
        migrations.AddIndex(
            model_name="beneficiary",
            index=models.Index(
                fields=["name", "id"], include=("search_text", "tax_code"), name="beneficiary_name_search"
            ),
        ),
        migrations.AddIndex(
            model_name="beneficiary",
            index=models.Index(
                fields=["province", "name", "id"],
                include=("search_text", "tax_code"),
                name="beneficiary_prov_name_search",
            ),
        ),
        migrations.RemoveIndex(model_name="beneficiary", name="beneficiary_name_id"),
        migrations.RemoveIndex(model_name="beneficiary", name="beneficiary_province_name_id"),
    ]
