"""Staff sessions end after a while idle, and after a working day in all."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

# Session keys: when this sign-in happened, and when its last request came (Unix seconds).
SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# The last-seen time is written at most this often (seconds), not on every request;
# so a session may end up to this much before SESSION_IDLE_SECONDS of real idleness.
TOUCH_EVERY = 60
IDLE = "You were signed out after {minutes} minutes without activity. Please sign in again."
TOO_LONG = "You were signed out: a sign-in lasts at most {hours} hours. Please sign in again."


def _signed_in(sender, request, user, **kwargs):
    """Every sign-in starts both clocks afresh, even one that keeps the session."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN_AT] = now


def connect_signals() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.middleware.signed_in")


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_MAX_AGE_SECONDS after signing in; otherwise notes this request's time.

    Goes after AuthenticationMiddleware and MessageMiddleware, before OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        session, now = request.session, time.time()
        signed_in = session.setdefault(SIGNED_IN_AT, now)  # a session from before this check
        last_seen = session.get(LAST_SEEN_AT, now)
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            message = IDLE.format(minutes=settings.SESSION_IDLE_SECONDS // 60)
        elif now - signed_in > settings.SESSION_MAX_AGE_SECONDS:
            message = TOO_LONG.format(hours=settings.SESSION_MAX_AGE_SECONDS // 3600)
        else:
            if now - last_seen >= TOUCH_EVERY or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
            return
        logout(request)  # a new, empty session; the request goes on as anonymous
        messages.info(request, message)
