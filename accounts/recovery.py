"""Recovery codes: ten single-use codes, shown only once and stored only as keyed hashes
(accounts.models.RecoveryDevice)."""

from base64 import b32encode
from os import urandom

from django.db import transaction

from .crypto import code_digests
from .models import RecoveryCode, RecoveryDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
# The codes just made, kept in the session only until the page that shows them.
FRESH_CODES_SESSION_KEY = "accounts_fresh_recovery_codes"


def random_code() -> str:
    """Eight letters and digits of base32 (40 random bits), as otp_static makes them."""
    return b32encode(urandom(5)).decode("ascii").lower()


def recovery_device_of(user) -> RecoveryDevice | None:
    return RecoveryDevice.objects.filter(user=user).order_by("pk").first()


def recovery_codes_store(*, device: RecoveryDevice, codes) -> None:
    """Keeps these codes on the device as hashes (the digest under the current SECRET_KEY)."""
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=code_digests(code, user_id=device.user_id)[0])
        for code in codes
    )


def recovery_codes_issue(*, user) -> list[str]:
    """New codes for the user, replacing any earlier ones; returns them, once."""
    with transaction.atomic():
        device = recovery_device_of(user)
        if device is None:
            device = RecoveryDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        RecoveryDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.codes.all().delete()
        codes = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(random_code())
        codes = sorted(codes)
        recovery_codes_store(device=device, codes=codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def shown(code: str) -> str:
    """As printed for people: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
