"""Recovery codes: ten single-use codes (django-otp's static tokens), shown only once."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
# The codes just made, kept in the session only until the page that shows them.
FRESH_CODES_SESSION_KEY = "accounts_fresh_recovery_codes"


def recovery_codes_issue(*, user) -> list[str]:
    """New codes for the user, replacing any earlier ones; returns them, once."""
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        codes = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(StaticToken.random_token())
        codes = sorted(codes)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def shown(code: str) -> str:
    """As printed for people: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
