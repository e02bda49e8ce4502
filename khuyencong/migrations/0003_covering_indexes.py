"""Empty: this migration made the covering indexes of the report sums on the đề án tables in raw SQL, on tables of other apps.

It ran on existing databases, so it stays in the history (a migration recorded as applied must still exist).
The indexes are now declared in their models' Meta and made by their own apps' migrations
(beneficiaries 0005, projects 0011), which keep the indexes an existing database already has and create them
on a fresh one: see docs/architecture.md, "Indexes".
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0002_tax_code_prefix_index")]

    operations = []
