"""Issue 16: the detention facility, a relative's current location and the details of an
earlier asylum application, encrypted at rest like the narrative; rows already stored are
encrypted here. Empty values stay "" (the facility's check constraint compares to it)."""

from django.db import migrations

import cases.crypto

COLUMNS = [("client", "detention_facility"), ("client", "prior_asylum_details"),
           ("familymember", "current_location")]  # fmt: skip
BATCH = 2000


def _convert(apps, schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, column in COLUMNS:
        table = quote(apps.get_model("cases", model_name)._meta.db_table)
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, {quote(column)} FROM {table} WHERE id > %s "
                    f"AND {quote(column)} <> '' ORDER BY id LIMIT %s", [last, BATCH],
                )  # fmt: skip
                rows = cursor.fetchall()
                if not rows:
                    break
                cursor.executemany(f"UPDATE {table} SET {quote(column)} = %s WHERE id = %s",
                                   [(change(value), pk) for pk, value in rows])  # fmt: skip
            last = rows[-1][0]


def encrypt(apps, schema_editor):
    _convert(apps, schema_editor, cases.crypto.encrypt_text)


def decrypt(apps, schema_editor):
    _convert(apps, schema_editor, cases.crypto.decrypt_text)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_admin"),
    ]

    operations = [
        migrations.AlterField(
            model_name="client",
            name="detention_facility",
            field=cases.crypto.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="client",
            name="prior_asylum_details",
            field=cases.crypto.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name="familymember",
            name="current_location",
            field=cases.crypto.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
