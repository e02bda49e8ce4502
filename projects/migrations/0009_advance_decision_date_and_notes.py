"""Advances keep the date of their decision, which reports count by (decisions already taken get the local
date they were entered on, the only date known for them); internal notes on a đề án."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def backfill_decision_dates(apps, schema_editor):
    Advance = apps.get_model("projects", "Advance")
    decided = Advance.objects.filter(decided_at__isnull=False, decision_date__isnull=True)
    for advance in decided.only("pk", "decided_at").iterator():
        Advance.objects.filter(pk=advance.pk).update(decision_date=timezone.localdate(advance.decided_at))


class Migration(migrations.Migration):
    dependencies = [
        # Both of the app's latest migrations (the two were written side by side): one leaf again.
        ("projects", "0007_appraisal_rule"),
        ("projects", "0008_disbursement_unique_voucher"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="advance",
            name="decision_date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày quyết định"),
        ),
        migrations.RunPython(backfill_decision_dates, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ProjectNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="nội dung ghi chú")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="thời điểm ghi")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người ghi",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="projects.project",
                        verbose_name="đề án",
                    ),
                ),
            ],
            options={
                "verbose_name": "ghi chú nội bộ",
                "verbose_name_plural": "ghi chú nội bộ",
                "ordering": ["-created_at", "-id"],
            },
        ),
    ]
