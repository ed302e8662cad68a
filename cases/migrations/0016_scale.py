"""Issue 18: deadlines carry their case's attorney, and the indexes that make an attorney's
upcoming deadlines and the "new" queue section one range scan each."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_attorneys(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    attorney = Case.objects.filter(pk=OuterRef("case_id")).values("assigned_attorney_id")[:1]
    Deadline.objects.update(attorney_id=Subquery(attorney))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_export_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_stage_priority"),
        migrations.AddField(
            model_name="deadline",
            name="attorney",
            field=models.ForeignKey(
                blank=True, db_index=False, null=True,
                on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(copy_attorneys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["stage", "priority", "next_deadline_date", "-id"],
                name="case_stage_order",
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                fields=["attorney", "status", "due_date", "id"], name="deadline_attorney_due"
            ),
        ),
    ]
