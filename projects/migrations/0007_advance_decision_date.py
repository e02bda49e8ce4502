"""Advances keep the date of their decision, which reports count by; decisions already taken get the local
date they were entered on (the only date known for them)."""

from django.db import migrations, models
from django.utils import timezone


def backfill(apps, schema_editor):
    Advance = apps.get_model("projects", "Advance")
    decided = Advance.objects.filter(decided_at__isnull=False, decision_date__isnull=True)
    for advance in decided.only("pk", "decided_at").iterator():
        Advance.objects.filter(pk=advance.pk).update(decision_date=timezone.localdate(advance.decided_at))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_decline_adjustment"),
    ]

    operations = [
        migrations.AddField(
            model_name="advance",
            name="decision_date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày quyết định"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
