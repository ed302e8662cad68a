"""Our subclasses of django-two-factor-auth's views: the sign-in wizard, the authenticator
set-up, its QR code and the recovery codes, each changed only where the firm's rules differ."""

import logging
from textwrap import wrap

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import RedirectURLMixin, redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.decorators import method_decorator
from two_factor import views as two_factor_views
from two_factor.utils import default_device

from .crypto import UnreadableSecret, seal, unseal
from .decorators import in_english, is_verified
from .forms import RecoveryCodeForm, TokenForm
from .lockout import LOCKED_OUT
from .models import AppDevice, RecoveryDevice, new_key
from .recovery import (
    FRESH_CODES_SESSION_KEY,
    RECOVERY_CODE_COUNT,
    recovery_codes_issue,
    recovery_codes_left,
    recovery_device_of,
    shown,
)

log = logging.getLogger(__name__)

# The key of the authenticator being set up: kept in this session only (never on the user,
# so another session with the same password sees another key), the same until set-up is
# done, and dropped at every sign-in so a key shown before it is dead. Encrypted like the
# enrolled seed (accounts.crypto): the session table is in the database too.
PENDING_KEY_SESSION_KEY = "accounts_pending_totp_key"


def _pending_key(session) -> str | None:
    sealed = session.get(PENDING_KEY_SESSION_KEY)
    if not sealed:
        return None
    try:
        return unseal(sealed)
    except UnreadableSecret:  # sealed under a key since dropped: this set-up starts again
        session.pop(PENDING_KEY_SESSION_KEY)
        return None


def _pending_device(request) -> AppDevice | None:
    """The app being set up in this session, unsaved (its key, the user, our defaults)."""
    key = _pending_key(request.session)
    if key is None or not request.user.is_authenticated:
        return None
    return AppDevice(user=request.user, name="default", key=key)


def _drop_pending_key(sender, request, user, **kwargs):
    """A sign-in starts a new set-up: a key someone saw (or copied) before it is dead."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(PENDING_KEY_SESSION_KEY, None)
        session.pop(two_factor_views.SetupView.session_key_name, None)  # the QR code's copy


def connect_signals() -> None:
    user_logged_in.connect(_drop_pending_key, dispatch_uid="accounts.views.drop_pending_key")


def _with_next(url_name: str, next_url: str):
    """A redirect to url_name?next=next_url (Django's helper for the sign-in, reused)."""
    return redirect_to_login(next_url, url_name)


@method_decorator(in_english, name="dispatch")
class LoginView(two_factor_views.LoginView):
    """two_factor's sign-in wizard: password (django-axes counts failures), then the
    authenticator app's code, or a recovery code instead."""

    form_list = (
        ("auth", AuthenticationForm),
        ("token", TokenForm),  # what two_factor's method registry gives (accounts.methods)
        ("backup", RecoveryCodeForm),
    )

    def process_step(self, form):
        data = super().process_step(form)
        if self.steps.current == self.AUTH_STEP:
            # The password step gets a session key of its own, as the code step does at login().
            self.request.session.cycle_key()
        return data

    def get_device(self, step=None):
        """two_factor asks for otp_static's device for the recovery-code step; ours instead."""
        if step == self.BACKUP_STEP and not self.device_cache:
            self.device_cache = recovery_device_of(self.get_user())
        return super().get_device(step)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == self.TOKEN_STEP:  # "Use a recovery code", if any are left
            context["backup_tokens"] = recovery_codes_left(user=self.get_user())
        if getattr(self.request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            context["locked_out"] = LOCKED_OUT.format(minutes=minutes)
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        # two_factor hands `next` to its own set-up page in the session; ours takes it in the URL.
        self.request.session.pop("next", None)
        user = self.get_user()
        if default_device(user) is None:  # every staff page needs the second factor
            return _with_next("two_factor:setup", self.get_success_url())
        if isinstance(getattr(user, "otp_device", None), RecoveryDevice):
            left = recovery_codes_left(user=user)
            messages.warning(self.request, "You signed in with a recovery code; it cannot be "
                             f"used again. {left} of {RECOVERY_CODE_COUNT} left.")  # fmt: skip
        return response


@method_decorator(in_english, name="dispatch")
class SetupView(two_factor_views.SetupView):
    """two_factor's set-up of an authenticator app in one page (no welcome step): the QR
    code and the key, then the app's first code; then ten new recovery codes, shown once."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and default_device(request.user) is not None:
            # Only the code of the app already set up lets anyone further: the password
            # alone never adds a second authenticator to an account.
            next_url = self.get_success_url()
            if is_verified(request.user):
                return redirect(next_url)
            return redirect_to_login(next_url)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return self.get_redirect_url() or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_form_list(self):
        form_list = super().get_form_list()
        form_list.pop("welcome", None)
        return form_list

    def get_key(self, step):
        """The same key until set-up is done: a reload must not change the key under an app
        that has already scanned it (two_factor's wizard makes a new one on each visit)."""
        session = self.request.session
        key = _pending_key(session)
        if key is None:
            key = new_key()
            session[PENDING_KEY_SESSION_KEY] = seal(key)
        return key

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        # two_factor keeps the key in the session for its QR view, in plain text; ours
        # draws the QR code from the sealed key.
        self.request.session.pop(self.session_key_name, None)
        device = _pending_device(self.request)
        if "secret_key" in context and device is not None:  # the firm as the app's label
            context["otpauth_url"] = device.config_url
            context["issuer"] = settings.OTP_TOTP_ISSUER
            context["secret_grouped"] = " ".join(wrap(context["secret_key"], 4))
        return context

    def done(self, form_list, **kwargs):
        super().done(form_list, **kwargs)  # the app saved as the default device, session verified
        session = self.request.session
        session.pop(PENDING_KEY_SESSION_KEY, None)
        session.cycle_key()  # the session that passed both steps gets a key of its own
        session[FRESH_CODES_SESSION_KEY] = recovery_codes_issue(user=self.request.user)
        return _with_next("two_factor:backup_tokens", self.get_success_url())


class QRGeneratorView(two_factor_views.QRGeneratorView):
    """two_factor's QR code, an SVG image drawn on this server (img-src 'self'), of the
    config_url of the app being set up in this session; none once set-up is done."""

    def get(self, request, *args, **kwargs):
        device = _pending_device(request)
        if device is None:
            raise Http404()
        factory = qrcode.image.svg.SvgPathImage
        response = HttpResponse(content_type=self.image_content_types[factory.kind])
        qrcode.make(device.config_url, image_factory=factory).save(response)
        return response


@method_decorator(in_english, name="dispatch")
class BackupTokensView(RedirectURLMixin, two_factor_views.BackupTokensView):
    """The recovery codes just made, once: they leave the session with this page. A POST
    (two_factor's "generate") replaces every earlier code with new ones, shown the same way."""

    template_name = "two_factor/core/backup_tokens.html"

    def get_default_redirect_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
        if not codes:
            return redirect(self.get_success_url())
        return self.render_to_response({
            "codes": [shown(code) for code in codes], "next": self.get_success_url(),
        })  # fmt: skip

    def form_valid(self, form):
        self.request.session[FRESH_CODES_SESSION_KEY] = recovery_codes_issue(
            user=self.request.user
        )
        return _with_next("two_factor:backup_tokens", self.get_success_url())


@method_decorator(in_english, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, but the e-mail is made by the worker (accounts.tasks): the
    request does the same work for any address, and nothing in the e-mail comes from the
    request's Host."""

    def form_valid(self, form):
        _queue_reset(form.cleaned_data["email"])  # nothing written here to wait for
        return redirect(self.get_success_url())


def _queue_reset(address: str) -> None:
    from .tasks import send_password_reset

    try:
        send_password_reset.delay(address)
    except Exception:  # noqa: BLE001 - broker down: the person asks again; same answer
        log.warning("Password reset not queued (broker unavailable)")
