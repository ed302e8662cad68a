"""Keeping scripts off the public intake without ever costing a real client their answers.

- a honeypot field people never see or fill;
- a minimum time between showing a page and posting it, carried in a signed value;
- rate limits per IP on submit, save-for-later, resume and each step, counted by
  django-ratelimit in the shared cache (settings.INTAKE_RATE_LIMITS).
Every refusal is a friendly page or a message on the same form, never a 500.
"""

import logging
import time

from django.conf import settings
from django.core import signing
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

HONEYPOT = "contact_by_fax"  # an innocent-looking name no browser fills by itself
STAMP = "form_stamp"
SALT = "intake.form-stamp"


def stamp() -> str:
    return signing.dumps(time.time(), salt=SALT)


def honeypot_filled(post) -> bool:
    return bool(post.get(HONEYPOT, "").strip())


def too_quick(post) -> bool:
    """Posted sooner after the page was shown than a person could read and answer it."""
    minimum = settings.INTAKE_MIN_SECONDS_PER_PAGE
    if minimum <= 0:
        return False
    try:
        shown = signing.loads(post.get(STAMP, ""), salt=SALT, max_age=7 * 86400)
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return time.time() - float(shown) < minimum


def rate_limited(request, action: str) -> bool:
    """True when this IP used up its allowance for `action` in the current window.

    With the cache down the request goes through (a warning is logged): losing a frightened
    client's answers costs more than letting a script past for a while. django-ratelimit's
    RATELIMIT_FAIL_OPEN covers a cache that answers badly; a cache that cannot be reached
    raises instead (Django's RedisCache), so that is caught here.
    """
    try:
        return is_ratelimited(
            request, group=f"intake-{action}", key="ip",
            rate=settings.INTAKE_RATE_LIMITS[action], increment=True,
        )  # fmt: skip
    except (RedisError, OSError):
        log.warning("rate limit cache unavailable; allowing the %s request", action)
        return False
