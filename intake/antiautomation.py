"""Keeping scripts off the public intake without ever costing a real client their answers.

- a honeypot field people never see or fill;
- a minimum time between showing a page and posting it, carried in a signed value;
- rate limits per IP on submit, save-for-later and resume, counted in the shared cache.
Every refusal is a friendly page or a message on the same form, never a 500.
"""

import logging
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

log = logging.getLogger(__name__)

HONEYPOT = "contact_by_fax"  # an innocent-looking name no browser fills by itself
STAMP = "form_stamp"
SALT = "intake.form-stamp"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, action: str) -> bool:
    """True when this IP used up its allowance for `action` in the current window."""
    limit, period = settings.INTAKE_RATE_LIMITS[action].split("/")
    seconds = PERIODS[period]
    key = f"intake-rate:{action}:{_ip(request)}:{int(time.time() // seconds)}"
    try:
        cache.add(key, 0, seconds)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage must never turn a client away
        log.warning("rate limit cache unavailable; allowing the request")
        return False
    return count > int(limit)
