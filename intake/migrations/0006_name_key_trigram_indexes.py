"""Trigram indexes for searching names in either script (PostgreSQL only)."""

from django.db import migrations

FIELDS = ("name_key_latin", "name_key_native")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS intake_client_{field}_trgm "
            f"ON intake_client USING gin ({field} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS intake_client_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_claim_translations_filter_indexes")]
    operations = [migrations.RunPython(create, drop)]
