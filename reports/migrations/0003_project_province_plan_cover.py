"""Empty: this migration made a covering index by province and plan on the đề án table in raw SQL, on tables of other apps.

It ran on existing databases, so it stays in the history (a migration recorded as applied must still exist).
The indexes are now declared in their models' Meta and made by their own apps' migrations
(beneficiaries 0005, projects 0011), which keep the indexes an existing database already has and create them
on a fresh one: see docs/architecture.md, "Indexes".
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_output_progress_cover")]

    operations = []
