"""The advances' covering index carries the decision's date, which the reports count an advance by (0009),
instead of the moment it was entered: the reports' sum of approved advances reads the index alone again.
PostgreSQL only, as before."""

import khuyencong.indexes
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0002_target_tracked_by_hand'),
        ('projects', '0011_postgres_indexes_in_meta'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='advance',
            name='advance_project_cover',
        ),
        migrations.AddIndex(
            model_name='advance',
            index=khuyencong.indexes.PostgresIndex(fields=['project'], include=('source', 'status', 'amount', 'decision_date'), name='advance_decision_cover'),
        ),
    ]
