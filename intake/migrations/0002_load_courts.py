"""Load the immigration courts from intake/data/immigration_courts.csv.

The rows are data an administrator can edit afterwards; the CSV is read once,
here, never at run time.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "immigration_courts.csv"


def load(apps, schema_editor):
    Court = apps.get_model("intake", "Court")
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    Court.objects.bulk_create(
        [
            Court(
                name=row["court"],
                city=row["city"],
                state=row["state"],
                time_zone=row["time_zone"],
                detained_docket_only=row["detained_docket_only"].strip().lower() == "yes",
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("intake", "Court").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
