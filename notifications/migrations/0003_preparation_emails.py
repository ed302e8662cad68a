"""The client's secure link (issue 17): the link, its one-time code, and the firm's notice
that a client asked for a new one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_consultation_email"),
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
                    ("preparation_link", "Secure link to the client"),
                    ("preparation_code", "One-time code to the client"),
                    ("new_link_asked", "A client asked for a new secure link"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
    ]
