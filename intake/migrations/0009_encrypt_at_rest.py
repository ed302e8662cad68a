"""Encryption at rest: the narrative (and its translations), A-number, passport number and
the wizard's draft answers become Fernet tokens (intake.crypto); the A-number gets a keyed
hash so it can still be found by exact match.

Existing rows are converted in place, in batches, with plain SQL (the fields' own Python
would try to decrypt the old plain values). A value that already decrypts is left as it
is, so running the conversion again changes nothing. Backwards, the values are decrypted.
Works on PostgreSQL and SQLite; the keys are read from settings when this runs.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import migrations, models

import intake.crypto
import intake.models
import intake.storage

BATCH = 500
CLAIM_FIELDS = [
    "political_activity", "past_harm", "feared_harm", "harmed_by", "reported_details",
    "evidence", "political_activity_en", "past_harm_en", "feared_harm_en", "harmed_by_en",
    "reported_details_en", "evidence_en",
]
A_NUMBER = re.compile(r"^A?(\d{8,9})$")


def _fernet():
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def _decrypted(fernet, value):
    """The plain text of a token, or None if the value is not one of our tokens."""
    try:
        return fernet.decrypt(value.encode()).decode()
    except InvalidToken:
        return None


def _encrypt(fernet, value):
    if value is None or value == "" or _decrypted(fernet, value) is not None:
        return value
    return fernet.encrypt(value.encode()).decode("ascii")


def _decrypt(fernet, value):
    if value is None or value == "":
        return value
    plain = _decrypted(fernet, value)
    return value if plain is None else plain


def _a_number_hash(a_number):
    """As intake.models.a_number_key, at the time of this migration."""
    compact = re.sub(r"[\s\-.]", "", a_number or "").upper()
    match = A_NUMBER.match(compact)
    normal = "A" + match.group(1).zfill(9) if match else compact
    if not normal:
        return ""
    key = settings.A_NUMBER_HASH_KEY
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _convert(apps, schema_editor, model_name, fields, change):
    """Apply `change(fernet, values) -> values` to every row, in batches by primary key."""
    model = apps.get_model("intake", model_name)
    quote = schema_editor.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(name).column) for name in fields]
    select = (f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {pk} > %s "
              f"ORDER BY {pk} LIMIT {BATCH}")  # fmt: skip
    update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s"
    fernet, last = _fernet(), 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                return
            for key, *values in rows:
                changed = change(fernet, list(values))
                if changed != values:
                    cursor.execute(update, [*changed, key])
            last = rows[-1][0]


def _each(change):
    return lambda fernet, values: [change(fernet, v) for v in values]


def _clients_forwards(fernet, values):
    a_number, passport, _hash = values
    plain = _decrypt(fernet, a_number)
    return [_encrypt(fernet, a_number), _encrypt(fernet, passport), _a_number_hash(plain)]


def _clients_backwards(fernet, values):
    a_number, passport, a_number_hash = values
    return [_decrypt(fernet, a_number), _decrypt(fernet, passport), a_number_hash]


def encrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, "AsylumClaim", CLAIM_FIELDS, _each(_encrypt))
    _convert(apps, schema_editor, "Client", ["a_number", "passport_number", "a_number_hash"],
             _clients_forwards)  # fmt: skip
    _convert(apps, schema_editor, "IntakeDraft", ["data"], _each(_encrypt))


def decrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, "AsylumClaim", CLAIM_FIELDS, _each(_decrypt))
    _convert(apps, schema_editor, "Client", ["a_number", "passport_number", "a_number_hash"],
             _clients_backwards)  # fmt: skip
    _convert(apps, schema_editor, "IntakeDraft", ["data"], _each(_decrypt))


def _claim_field(name):
    if name.endswith("_en"):
        return intake.crypto.EncryptedTextField(blank=True)
    if name == "feared_harm":
        return intake.crypto.EncryptedTextField(max_length=20000)
    return intake.crypto.EncryptedTextField(blank=True, max_length=20000)


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0008_email_upper_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="a_number_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        *[
            migrations.AlterField(
                model_name="asylumclaim", name=name, field=_claim_field(name)
            )
            for name in CLAIM_FIELDS
        ],
        # Text columns: a token is longer than the plain value's max_length.
        migrations.AlterField(
            model_name="client",
            name="a_number",
            field=intake.crypto.EncryptedCharField(blank=True, max_length=11),
        ),
        migrations.AlterField(
            model_name="client",
            name="passport_number",
            field=intake.crypto.EncryptedCharField(blank=True, max_length=30),
        ),
        # jsonb -> text on PostgreSQL (USING data::text keeps each row's JSON as text).
        migrations.AlterField(
            model_name="intakedraft",
            name="data",
            field=intake.crypto.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="document",
            name="file",
            field=models.FileField(
                storage=intake.storage.encrypted_storage, upload_to=intake.models.document_path
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
