"""Load the immigration courts as data an administrator can edit afterwards."""

from django.db import migrations

from intake.courts import load_courts


def load(apps, schema_editor):
    load_courts(apps.get_model("intake", "Court"))


def unload(apps, schema_editor):
    apps.get_model("intake", "Court").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
