"""Names folded across transliterations for search (cases.names.name_fold), filled for the
rows already there, with trigram indexes (PostgreSQL only) so each searched word is an
index lookup."""

from django.db import migrations, models

from cases.names import name_fold

BATCH = 2000
# (table, the name fields folded, in the order the models' save() folds them)
FOLDED = {
    "Client": ("given_names", "family_name", "given_names_native", "family_name_native",
               "other_names"),
    "FamilyMember": ("given_names", "family_name", "name_native"),
}  # fmt: skip
TABLES = ("cases_client", "cases_familymember")


def fill(apps, schema_editor):
    for name, fields in FOLDED.items():
        model = apps.get_model("cases", name)
        rows = []
        for row in model.objects.only("pk", *fields).order_by("pk").iterator(chunk_size=BATCH):
            row.name_fold = name_fold(*(getattr(row, field) for field in fields))
            rows.append(row)
            if len(rows) == BATCH:
                model.objects.bulk_update(rows, ["name_fold"])
                rows = []
        model.objects.bulk_update(rows, ["name_fold"])


def fold_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_name_fold_trgm "
            f"ON {table} USING gin (name_fold gin_trgm_ops)"
        )


def drop_fold_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_name_fold_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_alerts"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="name_fold",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="familymember",
            name="name_fold",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(fold_indexes, drop_fold_indexes),
    ]
