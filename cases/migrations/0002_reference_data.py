"""What the app needs besides its tables: similar-name search, the courts, the roles."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from cases.courts import load_courts
from cases.roles import create_roles

NAME_KEYS = ("name_key_latin", "name_key_native")


def name_indexes(apps, schema_editor):
    # Trigram indexes for searching names in either script (PostgreSQL only).
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in NAME_KEYS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS cases_client_{field}_trgm "
            f"ON cases_client USING gin ({field} gin_trgm_ops)"
        )


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in NAME_KEYS:
        schema_editor.execute(f"DROP INDEX IF EXISTS cases_client_{field}_trgm")


def courts(apps, schema_editor):
    load_courts(apps.get_model("cases", "Court"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        TrigramExtension(),  # a no-op on SQLite
        migrations.RunPython(name_indexes, drop_name_indexes),
        migrations.RunPython(courts, migrations.RunPython.noop),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
