"""Each đề án keeps its plan's year, so the lists filter and sort by year from one index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_plan_year(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    AnnualPlan = apps.get_model("programs", "AnnualPlan")
    Project.objects.update(year=Subquery(AnnualPlan.objects.filter(pk=OuterRef("plan_id")).values("year")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("projects", "0004_search_text_no_btree"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="năm"),
        ),
        migrations.RunPython(copy_plan_year, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="năm"),
        ),
        migrations.AlterModelOptions(
            name="project",
            options={
                "ordering": ["-year", "code"],
                "verbose_name": "đề án khuyến công",
                "verbose_name_plural": "đề án khuyến công",
            },
        ),
        migrations.RemoveIndex(model_name="project", name="project_province_status"),
        migrations.AddIndex(
            model_name="project", index=models.Index(fields=["-year", "code"], name="project_year_code")
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["status", "-year", "code"], name="project_status_year_code"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["province", "-year", "code"], name="project_province_year_code"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["province", "status", "-year", "code"], name="project_prov_status_year"),
        ),
    ]
