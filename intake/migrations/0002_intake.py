from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="intakedraft",
            name="session_nonce",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="intakedraft",
            name="resume_email_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="intakedraft",
            name="resume_failures",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="intakedraft",
            index=models.Index(fields=["updated_at"], name="intake_draft_updated"),
        ),
    ]
