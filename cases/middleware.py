"""Staff sessions: signed out after a while idle or a working day in all; the second factor
checked on each request without a query of its own; the admin behind the second factor."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger(__name__)

# Session keys: when this sign-in happened, and when its last request came (Unix seconds).
SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# The last-seen time is written at most this often (seconds), not on every request;
# so a session may end up to this much before SESSION_IDLE_SECONDS of real idleness.
TOUCH_EVERY = 60
IDLE = "You were signed out after {minutes} minutes without activity. Please sign in again."
TOO_LONG = "You were signed out: a sign-in lasts at most {hours} hours. Please sign in again."


@receiver(user_logged_in, dispatch_uid="cases.middleware.signed_in")
def _signed_in(sender, request, user, **kwargs):
    """Every sign-in starts both clocks afresh, even one that keeps the session."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN_AT] = now


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


class AdminTwoFactorMiddleware:
    """The admin, like every staff page, needs the second factor.

    Signing in to the admin goes through the staff sign-in page (so through the lockout
    and the second step); a signed-in user not yet verified is sent to the second step.
    Goes after OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.app_names or match.url_name == "logout":
            return None
        from .accounts import is_verified, login_url, second_step_url

        user = request.user
        if not user.is_authenticated:
            return redirect(login_url(_admin_next(request)))
        if not is_verified(user):
            return redirect(second_step_url(user, _admin_next(request)))
        return None


def _admin_next(request) -> str:
    """Where to go after signing in: the admin login page's own next, or this page."""
    if request.resolver_match.url_name == "login":
        return request.GET.get("next") or reverse("admin:index")
    return request.get_full_path()


# The verifying device, cached: django-otp looks it up on every request; the cache entry
# goes as soon as the device is saved or deleted (so a reset takes effect at once), and
# lives a minute at most in any case.
DEVICE_CACHE_SECONDS = 60


def _device_key(persistent_id: str) -> str:
    return f"otp-device:{persistent_id}"


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's OTPMiddleware (request.user.is_verified()), its device lookup cached."""

    def _device_from_persistent_id(self, persistent_id: str):
        key = _device_key(self._normalize_persistent_id(persistent_id))
        try:
            device = cache.get(key)
        except Exception:  # the cache is down: ask the database, as django-otp does
            log.warning("Cache unavailable for the second-factor device", exc_info=True)
            return super()._device_from_persistent_id(persistent_id)
        if device is None:
            device = super()._device_from_persistent_id(persistent_id)
            if device is not None:
                try:
                    cache.set(key, device, DEVICE_CACHE_SECONDS)
                except Exception:
                    log.warning("Cache unavailable for the second-factor device", exc_info=True)
        return device


@receiver(post_save, sender=TOTPDevice, dispatch_uid="cases.middleware.totp_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="cases.middleware.totp_deleted")
@receiver(post_save, sender=StaticDevice, dispatch_uid="cases.middleware.static_saved")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="cases.middleware.static_deleted")
def _device_changed(sender, instance, **kwargs):
    try:
        cache.delete(_device_key(instance.persistent_id))
    except Exception:
        log.warning("Cache unavailable for the second-factor device", exc_info=True)
