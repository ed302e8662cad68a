"""Keeping scripts off the public intake without ever costing a real client their answers.

- a honeypot field people never see or fill;
- a minimum time between showing a page and posting it, carried in a signed value bound to
  the session and good for one post (its nonce is kept in the session until used);
- rate limits per IP on submit, save-for-later, resume and each step, counted by
  django-ratelimit in the shared cache (settings.INTAKE_RATE_LIMITS), and in this process
  with the same limits while that cache cannot be reached.
Every refusal is a friendly page or a message on the same form, never a 500.
"""

import logging
import secrets
import threading
import time

from django.conf import settings
from django.core import signing
from django_ratelimit.core import _get_ip, _split_rate, is_ratelimited
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

HONEYPOT = "contact_by_fax"  # an innocent-looking name no browser fills by itself
STAMP = "form_stamp"
SALT = "intake.form-stamp"
# Session keys: a secret the stamps of this session are signed with, and the nonces of the
# stamps shown and not yet posted (the newest few: a client may have several tabs open).
STAMP_SECRET = "intake_stamp_secret"
STAMP_NONCES = "intake_stamp_nonces"
OPEN_STAMPS = 20


def stamp(request) -> str:
    session = request.session
    secret = session.setdefault(STAMP_SECRET, secrets.token_urlsafe(16))
    nonce = secrets.token_urlsafe(12)
    session[STAMP_NONCES] = [*session.get(STAMP_NONCES, [])[-(OPEN_STAMPS - 1):], nonce]
    return signing.dumps({"t": time.time(), "n": nonce}, salt=SALT + secret)


def honeypot_filled(post) -> bool:
    return bool(post.get(HONEYPOT, "").strip())


def too_quick(request) -> bool:
    """Posted sooner after the page was shown than a person could read and answer it, or
    with a stamp this session was not given or has already used (a script's replay)."""
    minimum = settings.INTAKE_MIN_SECONDS_PER_PAGE
    if minimum <= 0:
        return False
    session = request.session
    try:
        shown = signing.loads(
            request.POST.get(STAMP, ""), salt=SALT + session.get(STAMP_SECRET, ""),
            max_age=7 * 86400,
        )
        nonces = session.get(STAMP_NONCES, [])
        if shown["n"] not in nonces:
            return True
        if time.time() - float(shown["t"]) < minimum:
            return True  # kept: the same page may be posted again once the time is up
        session[STAMP_NONCES] = [n for n in nonces if n != shown["n"]]
        return False
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return True


def rate_limited(request, action: str) -> bool:
    """True when this IP used up its allowance for `action` in the current window.

    With the cache down the intake keeps saving (losing a frightened client's answers costs
    more than a script's few extra posts), but the same limits are counted in this process
    instead, and a warning logged. django-ratelimit's RATELIMIT_FAIL_OPEN covers a cache
    that answers badly; a cache that cannot be reached raises instead (Django's RedisCache),
    so that is caught here.
    """
    rate = settings.INTAKE_RATE_LIMITS[action]
    try:
        return is_ratelimited(
            request, group=f"intake-{action}", key="ip", rate=rate, increment=True
        )
    except (RedisError, OSError):
        if _fallback_limited(request, action, rate):
            log.warning("rate limit cache unavailable; refusing the %s request (counted in "
                        "this process)", action)  # fmt: skip
            return True
        log.warning("rate limit cache unavailable; allowing the %s request", action)
        return False


# While the cache is unreachable: (action, address) -> (window, posts in it), this process.
# Each process counts alone, so a script gets at most the limit per process, not unlimited.
_fallback_counts: dict[tuple[str, str], tuple[int, int]] = {}
_fallback_lock = threading.Lock()


def _fallback_limited(request, action: str, rate: str) -> bool:
    limit, period = _split_rate(rate)
    window = int(time.time() // period)
    key = (action, _get_ip(request))
    with _fallback_lock:
        if len(_fallback_counts) > 100_000:  # an outage with many addresses: keep it bounded
            _fallback_counts.clear()
        seen_window, count = _fallback_counts.get(key, (window, 0))
        count = count + 1 if seen_window == window else 1
        _fallback_counts[key] = (window, count)
        return count > limit


def fallback_reset() -> None:
    with _fallback_lock:
        _fallback_counts.clear()
