"""Encryption at rest: Fernet tokens for the client's most sensitive answers.

Keys come from settings.FIELD_ENCRYPTION_KEYS, read at call time (never at import): the
first key encrypts, every key decrypts, so a new key can be put first and the old one
dropped once `manage.py rotate_keys` has re-encrypted everything. The A-number stays
findable by exact match through a keyed hash (settings.A_NUMBER_HASH_KEY).
"""

import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value no key in FIELD_ENCRYPTION_KEYS can decrypt."""


def _keys() -> tuple:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or ())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS needs at least one Fernet key.")
    return keys


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


@lru_cache(maxsize=8)
def _single_fernet(key) -> Fernet:
    return Fernet(key)


def fernet() -> MultiFernet:
    """A MultiFernet of the configured keys (first encrypts, all decrypt); cached per list."""
    return _multi_fernet(_keys())


def primary_fernet() -> Fernet:
    """The first key alone: a token it decrypts needs no rotation."""
    return _single_fernet(_keys()[0])


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        raise DecryptionError(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from error


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    # A token is ASCII; anything else (say, text never encrypted) fails as a bad token.
    return decrypt_bytes(token.encode()).decode()


def is_current(token) -> bool:
    """Whether the first key alone decrypts this token (nothing to rotate)."""
    if isinstance(token, str):
        token = token.encode()
    try:
        primary_fernet().decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate_token(token):
    """The same plaintext under the first key (MultiFernet.rotate); str in, str out."""
    if isinstance(token, str):
        return rotate_token(token.encode()).decode("ascii")
    try:
        return fernet().rotate(token)
    except InvalidToken as error:
        raise DecryptionError(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from error


def keyed_hash(value) -> str:
    """HMAC-SHA256 of the value with settings.A_NUMBER_HASH_KEY, as 64 hex digits."""
    key = settings.A_NUMBER_HASH_KEY
    if not key:
        raise ImproperlyConfigured("A_NUMBER_HASH_KEY is empty.")
    if isinstance(key, str):
        key = key.encode()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text kept as a Fernet token in the database and as plain text in Python.

    '' and None are stored as they are, so "left empty" stays a plain query. max_length
    is the plain text's limit, for the form's message; the column itself has no limit.
    Lookups other than "is empty" cannot match a token: search through a keyed hash.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value (an ID number): one-line input, plain length checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.max_length,
                    "widget": forms.TextInput}  # fmt: skip
        if self.null and not self.blank:
            defaults["empty_value"] = None
        return models.Field.formfield(self, **{**defaults, **kwargs})


class EncryptedJSONField(models.TextField):
    """A JSON value (dicts, lists, strings) stored as one Fernet token of its JSON text."""

    description = "JSON encrypted at rest (Fernet)"
    empty_strings_allowed = False

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(decrypt_text(value))

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value))

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})
