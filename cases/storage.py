"""Uploaded documents encrypted on disk (Fernet, the keys of cases.crypto).

The file on disk holds one Fernet token of the whole upload (uploads are capped at
settings.INTAKE_UPLOAD_MAX_BYTES, so the file fits in memory); reading decrypts it.
Names stay random (cases.models.clients.document_path), so nothing typed ends up in a path.
"""

import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from . import crypto


def replace_file(path: str, data: bytes) -> None:
    """Write `data` over the file at `path` atomically (a reader sees old or new, whole)."""
    directory = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rotate-")
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


@deconstructible(path="cases.storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage (settings.MEDIA_ROOT) that encrypts on save and decrypts on open."""

    def _save(self, name, content):
        # chunks() starts from the beginning, even after the form sniffed the header.
        data = b"".join(
            chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in content.chunks()
        )
        return super()._save(name, ContentFile(crypto.encrypt_bytes(data)))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wax+"):
            raise ValueError("Encrypted documents are opened for reading only.")
        with super()._open(name, "rb") as stored:
            data = crypto.decrypt_bytes(stored.read())
        return ContentFile(data, name=name)

    def rotate(self, name) -> bool:
        """Re-encrypt one stored file with the first key; False if it already was."""
        path = self.path(name)
        with open(path, "rb") as stored:
            token = stored.read()
        if crypto.is_current(token):
            return False
        replace_file(path, crypto.rotate_token(token))
        return True


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The storage of Document.file (a callable, so migrations name it, not its state)."""
    return _STORAGE


_STORAGE = EncryptedFileSystemStorage()
