"""Which secure link (cases.PreparationLink) this browser session holds.

The seam between the link's pages (opening, second check, the client's page, uploads) and
the preparation questionnaire: the check binds the link to one session with `bind`; every
page of the client's side asks `current_link` and gets the link, or None when this session
holds none, was cut off, was idle too long, or the link expired or was replaced."""

import hmac
import secrets
import time

from django.conf import settings
from django.utils import timezone

from cases.models import PreparationLink

SESSION_LINK = "prepare_link_id"
SESSION_NONCE = "prepare_link_nonce"
SESSION_SEEN = "prepare_seen_at"
TOUCH_EVERY = 60


def link_is_live(link: PreparationLink) -> bool:
    return link.revoked_at is None and link.expires_at > timezone.now()


def bind(request, link: PreparationLink) -> None:
    """This session, and only it, holds `link` from now on (the second check passed).

    The caller saves `link` (verified_at, session_nonce) in the same transaction."""
    link.session_nonce = secrets.token_urlsafe(32)
    link.verified_at = timezone.now()
    request.session.cycle_key()
    request.session[SESSION_LINK] = link.pk
    request.session[SESSION_NONCE] = link.session_nonce
    request.session[SESSION_SEEN] = time.time()


def forget(request) -> None:
    for key in (SESSION_LINK, SESSION_NONCE, SESSION_SEEN):
        request.session.pop(key, None)


def current_link(request) -> PreparationLink | None:
    pk = request.session.get(SESSION_LINK)
    if not pk:
        return None
    now = time.time()
    if now - request.session.get(SESSION_SEEN, now) > settings.INTAKE_IDLE_SECONDS:
        forget(request)
        return None
    link = PreparationLink.objects.select_related("case__client").filter(pk=pk).first()
    nonce = request.session.get(SESSION_NONCE, "")
    if (
        link is None
        or not link.session_nonce
        or not hmac.compare_digest(link.session_nonce, nonce)
        or not link_is_live(link)
    ):
        forget(request)
        return None
    if now - request.session.get(SESSION_SEEN, 0) >= TOUCH_EVERY:
        request.session[SESSION_SEEN] = now
    return link
