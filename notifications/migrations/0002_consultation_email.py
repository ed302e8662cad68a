from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="email",
            name="kind",
            field=models.CharField(
                choices=[
                    ("triage", "Triage alert to attorneys"),
                    ("confirmation", "Confirmation to client"),
                    ("reminder", "Deadline reminder"),
                    ("resume_link", "Link to continue an intake"),
                    ("consultation", "Consultation confirmation to client"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
    ]
