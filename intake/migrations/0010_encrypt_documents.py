"""Encryption at rest: every stored document file becomes one Fernet token (as
intake.storage.EncryptedFileSystemStorage writes them), in place under MEDIA_ROOT.

After 0009, in its own migration, so the rows are committed before any file changes. A
file that already decrypts is left as it is; a missing file is skipped. Backwards, the
files are decrypted. Each file is replaced atomically (a new file, then a rename).
"""

import os
import tempfile

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import migrations


def _replace(path, data):
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".encrypt-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _each_file(apps, change):
    Document = apps.get_model("intake", "Document")
    fernet = MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])
    plain_storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    names = Document.objects.exclude(file="").order_by("pk").values_list("file", flat=True)
    for name in names.iterator(chunk_size=500):
        try:
            path = plain_storage.path(name)
            with open(path, "rb") as stored:
                data = stored.read()
        except (FileNotFoundError, IsADirectoryError):
            continue
        new = change(fernet, data)
        if new is not None:
            _replace(path, new)


def _encrypt(fernet, data):
    try:
        fernet.decrypt(data)
    except InvalidToken:
        return fernet.encrypt(data)
    return None  # already encrypted


def _decrypt(fernet, data):
    try:
        return fernet.decrypt(data)
    except InvalidToken:
        return None  # not encrypted


def encrypt_files(apps, schema_editor):
    _each_file(apps, _encrypt)


def decrypt_files(apps, schema_editor):
    _each_file(apps, _decrypt)


class Migration(migrations.Migration):

    # Files are not part of a transaction; keep the database out of one too.
    atomic = False

    dependencies = [
        ("intake", "0009_encrypt_at_rest"),
    ]

    operations = [
        migrations.RunPython(encrypt_files, decrypt_files, elidable=False),
    ]
