"""The second factor's devices, ours in place of django-otp's TOTPDevice and StaticDevice
(django-otp's documented way: a Device subclass): the same checks, but a copy of the
database passes nobody's second step. The authenticator's seed is encrypted at rest
(accounts.crypto); recovery codes are kept only as keyed hashes."""

import hmac
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models, transaction
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from .crypto import EncryptedSecretField, code_digests

# As otp_totp's defaults, which two_factor's set-up form uses (a 20-byte SHA-1 key, 30 s).
KEY_BYTES = 20
STEP, DIGITS, TOLERANCE = 30, 6, 1


def new_key() -> str:
    return random_hex(KEY_BYTES)


def key_validator(value) -> None:
    hex_validator()(value)


class AppDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): otp_totp's TOTPDevice with its seed encrypted.

    Drift, tolerance and throttling work as there; `last_t`, the time step of the last code
    accepted, refuses the same code (or an earlier one) a second time. Verifying locks the
    row, so two requests racing with one code, or with guesses, are counted one after the
    other."""

    key = EncryptedSecretField(default=new_key, validators=[key_validator],
                               help_text="The hex-encoded seed (encrypted at rest).")  # fmt: skip
    step = models.PositiveSmallIntegerField(default=STEP)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=DIGITS)
    tolerance = models.PositiveSmallIntegerField(default=TOLERANCE)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def config_url(self) -> str:
        """The otpauth:// URL an app scans (Key Uri Format), the secret first (for Microsoft
        Authenticator, as two_factor does), the firm as issuer."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        username = self.user.get_username()
        label = f"{issuer}:{username}" if issuer else username
        params = {"secret": b32encode(self.bin_key).decode("ascii"), "algorithm": "SHA1",
                  "digits": self.digits, "period": self.step}  # fmt: skip
        query = urlencode(params) + (f"&issuer={quote(issuer)}" if issuer else "")
        return f"otpauth://totp/{quote(label)}?{query}"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        with transaction.atomic():
            _lock(self, ["last_t", "drift"])
            allowed, _ = self.verify_is_allowed()
            if not allowed:
                return False
            try:
                token = int(token)
            except (TypeError, ValueError):
                verified = False
            else:
                totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
                totp.time = time.time()
                verified = totp.verify(token, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
            else:
                self.throttle_increment(commit=True)
        return verified


def _lock(device, fields: list[str]) -> None:
    """Locks the device's row until the transaction ends and reloads what verifying reads
    and writes: the state another request may just have changed."""
    rows = type(device).objects.select_for_update().filter(pk=device.pk)
    for name, value in rows.values(*fields, *THROTTLE_STATE).get().items():
        setattr(device, name, value)


THROTTLE_STATE = ["throttling_failure_timestamp", "throttling_failure_count"]


class RecoveryDevice(TimestampMixin, ThrottlingMixin, Device):
    """The recovery codes of one user (otp_static's StaticDevice, its codes hashed): each
    code works once, in any order, and is deleted when used."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        with transaction.atomic():
            _lock(self, [])
            return self._verify(str(token))

    def _verify(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        candidates = code_digests(token, user_id=self.user_id)
        match = None
        for code in self.codes.all():  # every stored hash against every candidate, no early exit
            for candidate in candidates:
                if hmac.compare_digest(code.digest, candidate):
                    match = code
        # Deleted under the device's lock: of two sign-ins racing with one code, one wins.
        used = match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] == 1
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return used


class RecoveryCode(models.Model):
    """One unused recovery code, as HMAC-SHA256 (accounts.crypto.code_digests), never the code."""

    device = models.ForeignKey(RecoveryDevice, related_name="codes", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64)

    def __str__(self):
        return f"Recovery code {self.pk}"
