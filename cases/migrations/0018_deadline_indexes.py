"""Issue 18: open deadlines by date as one partial index in the order the pages and the
reminder runs read them; reminders without the index their unique key already gives."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_queue"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="deadline", name="cases_deadl_status_80d53c_idx"),
        migrations.AlterField(
            model_name="reminder",
            name="deadline",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders", to="cases.deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("status", "open")), fields=["due_date", "id"],
                name="deadline_open_due",
            ),
        ),
    ]
