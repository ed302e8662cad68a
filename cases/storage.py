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


# Export files (cases.export_jobs) can be hundreds of megabytes: they are encrypted in
# pieces, one Fernet token per line, so neither writing nor reading holds the whole file.
EXPORTS_DIR = "exports"
PIECE = 1024 * 1024


class EncryptedPieces:
    """A write-only file that encrypts what it is given, a piece at a time, into `out`."""

    def __init__(self, out):
        self.out, self.buffer = out, bytearray()

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) >= PIECE:
            self._seal(bytes(self.buffer[:PIECE]))
            del self.buffer[:PIECE]
        return len(data)

    def close(self) -> None:
        if self.buffer:
            self._seal(bytes(self.buffer))
            self.buffer.clear()

    def _seal(self, piece: bytes) -> None:
        self.out.write(crypto.encrypt_bytes(piece) + b"\n")


def export_path(name: str) -> str:
    """The file on disk of an export's name (relative to MEDIA_ROOT)."""
    return encrypted_storage().path(name)


def export_part(name: str) -> str:
    """Where the file is written until it is complete: never the name a download reads."""
    return export_path(name) + ".part"


def export_open_part(name: str):
    path = export_part(name)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    return open(path, "wb")


def export_complete(name: str) -> None:
    """The written file under its own name, whole (a rename within one directory)."""
    os.replace(export_part(name), export_path(name))


def export_exists(name: str) -> bool:
    return bool(name) and os.path.isfile(export_path(name))


def export_chunks(name: str):
    """The decrypted file, a piece at a time."""
    with open(export_path(name), "rb") as stored:
        for line in stored:
            yield crypto.decrypt_bytes(line.rstrip(b"\n"))


def export_delete(name: str) -> None:
    """The file and any part left by a worker that stopped; missing ones are fine."""
    for path in (export_path(name), export_part(name)):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
