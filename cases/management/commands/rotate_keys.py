"""Re-encrypt everything encrypted at rest with the current first key.

Key rotation, step by step:

1. Make a new key: python -c "from cryptography.fernet import Fernet;
   print(Fernet.generate_key().decode())"
2. Put it FIRST in FIELD_ENCRYPTION_KEYS, keep the old key after it, and deploy: new
   values are encrypted with the new key, old ones still decrypt with the old key.
3. Run `python manage.py rotate_keys`: every encrypted field of every row (the staff's
   authenticator seeds too), and every stored document, is re-encrypted with the first
   key (MultiFernet.rotate), in batches.
   It is idempotent: what the first key already decrypts is left alone, so it can be run
   again (after an interruption, say) and a second run reports nothing to do.
4. Only when it reports no failures, drop the old key from FIELD_ENCRYPTION_KEYS.

The A-number's keyed hash is recomputed too, so after changing A_NUMBER_HASH_KEY a run
makes the A-number findable again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FileField, TextField, Value

from accounts.crypto import EncryptedSecretField
from cases import crypto
from cases.models import Client, a_number_key
from cases.storage import EncryptedFileSystemStorage

# accounts seals the authenticators' seeds with the same keys (accounts.crypto).
ENCRYPTED_FIELDS = (crypto.EncryptedTextField, crypto.EncryptedJSONField, EncryptedSecretField)


def encrypted_fields():
    """(model, [field names]) for every model with fields encrypted at rest."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELDS)]
        if names:
            yield model, names


def encrypted_files():
    """(model, file field name) for every FileField stored by the encrypting storage."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            storage = getattr(field, "storage", None) if isinstance(field, FileField) else None
            if isinstance(storage, EncryptedFileSystemStorage):
                yield model, field.name


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and every stored document with the first key in "
        "FIELD_ENCRYPTION_KEYS (MultiFernet.rotate), in batches; idempotent. To rotate: put "
        "the new key first in FIELD_ENCRYPTION_KEYS (old key after it), deploy, run "
        "rotate_keys, then drop the old key once it reports no failures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500,
                            help="Rows per transaction (default 500).")  # fmt: skip
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would be re-encrypted; change nothing.")  # fmt: skip

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.dry_run = dry_run
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        failures = 0
        for model, names in encrypted_fields():
            counts = self.rotate_rows(model, names, batch_size)
            failures += counts["failed"]
            hashes = f", {counts['hashes']} A-number hashes updated" if model is Client else ""
            self.stdout.write(
                f"{model._meta.label}: {counts['rows']} rows, {counts['rotated']} values {verb}, "
                f"{counts['current']} already current{hashes}, {counts['failed']} failed"
            )
        for model, name in encrypted_files():
            counts = self.rotate_files(model, name, batch_size)
            failures += counts["failed"]
            self.stdout.write(
                f"{model._meta.label}.{name} files: {counts['files']} files, "
                f"{counts['rotated']} {verb}, {counts['current']} already current, "
                f"{counts['missing']} missing, {counts['failed']} failed"
            )
        if failures:
            raise CommandError(
                f"{failures} values or files could not be decrypted with any key in "
                "FIELD_ENCRYPTION_KEYS: keep the old keys until this is resolved."
            )
        self.stdout.write(self.style.SUCCESS("Done." if not dry_run else "Dry run: no changes."))

    def rotate_rows(self, model, names, batch_size) -> dict:
        counts = dict.fromkeys(("rows", "rotated", "current", "hashes", "failed"), 0)
        # The stored tokens, not the fields' decrypted values.
        raw = {f"raw_{name}": ExpressionWrapper(F(name), output_field=TextField())
               for name in names}  # fmt: skip
        last = None
        while True:
            with transaction.atomic():
                rows = model._base_manager.order_by("pk").select_for_update()
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                if model is Client:
                    rows = rows.annotate(**raw).values_list("pk", "a_number_hash", *raw)
                else:
                    rows = rows.annotate(**raw).values_list("pk", *raw)
                rows = list(rows[:batch_size])
                if not rows:
                    return counts
                for row in rows:
                    self.rotate_row(model, names, row, counts)
                last = rows[-1][0]

    def rotate_row(self, model, names, row, counts):
        counts["rows"] += 1
        pk, *values = row
        stored_hash = values.pop(0) if model is Client else None
        changes = {}
        for name, token in zip(names, values, strict=True):
            if token is None or token == "":
                continue
            if crypto.is_current(token):
                counts["current"] += 1
                continue
            try:
                changes[name] = Value(crypto.rotate_token(token), output_field=TextField())
            except crypto.DecryptionError:
                counts["failed"] += 1
                self.stderr.write(f"{model._meta.label} {pk}: {name} does not decrypt")
                continue
            counts["rotated"] += 1
        if model is Client:
            token = dict(zip(names, values, strict=True)).get("a_number") or ""
            try:
                wanted = a_number_key(crypto.decrypt_text(token) if token else "")
            except crypto.DecryptionError:
                wanted = stored_hash  # counted above
            if wanted != stored_hash:
                changes["a_number_hash"] = wanted
                counts["hashes"] += 1
        if changes and not self.dry_run:
            model._base_manager.filter(pk=pk).update(**changes)

    def rotate_files(self, model, name, batch_size) -> dict:
        counts = dict.fromkeys(("files", "rotated", "current", "missing", "failed"), 0)
        storage = model._meta.get_field(name).storage
        documents = model._base_manager.exclude(**{name: ""}).order_by("pk")
        for pk, stored_name in documents.values_list("pk", name).iterator(chunk_size=batch_size):
            counts["files"] += 1
            try:
                if self.dry_run:
                    with open(storage.path(stored_name), "rb") as stored:
                        token = stored.read()
                    rotated = not crypto.is_current(token)
                    if rotated:
                        crypto.decrypt_bytes(token)  # DecryptionError if no key can
                else:
                    rotated = storage.rotate(stored_name)
            except FileNotFoundError:
                counts["missing"] += 1
                self.stderr.write(f"{model._meta.label} {pk}: file {stored_name} is missing")
                continue
            except crypto.DecryptionError:
                counts["failed"] += 1
                self.stderr.write(f"{model._meta.label} {pk}: file does not decrypt")
                continue
            counts["rotated" if rotated else "current"] += 1
        return counts
