"""Secrets of the second factor at rest: authenticator seeds sealed with the project's
encryption keys, recovery codes kept only as keyed hashes.

accounts uses no other app of ours, so it does not import cases.crypto; it reads the same
setting, FIELD_ENCRYPTION_KEYS, at call time (the first key encrypts, every key decrypts),
and `manage.py rotate_keys` re-encrypts EncryptedSecretField columns with the rest. The
hashes are keyed with SECRET_KEY (Django's salted_hmac, so with SECRET_KEY_FALLBACKS too
while a secret key is being rotated): a copy of the database alone checks no code.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import salted_hmac

RECOVERY_CODE_SALT = "accounts.recovery-code"


class UnreadableSecret(Exception):
    """A stored secret no key in FIELD_ENCRYPTION_KEYS decrypts (a key dropped too soon)."""


@lru_cache(maxsize=8)
def _fernet(keys: tuple) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or ())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS needs at least one Fernet key.")
    return _fernet(keys)


def seal(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadableSecret(
            "A stored secret could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from error


def code_digests(code: str, *, user_id: int) -> list[str]:
    """HMAC-SHA256 of a recovery code, bound to its user, under SECRET_KEY and then each
    SECRET_KEY_FALLBACKS entry: the first is what is stored, any of them may match."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    value = f"{user_id}:{code}"
    return [
        salted_hmac(RECOVERY_CODE_SALT, value, secret=secret, algorithm="sha256").hexdigest()
        for secret in secrets
    ]


class EncryptedSecretField(models.TextField):
    """A secret kept as a Fernet token in the database and as plain text in Python."""

    description = "Secret encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(value)
