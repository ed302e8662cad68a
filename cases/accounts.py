"""Staff sign-in: password (with lockout), then a second factor on every staff page.

After the password, a user with no confirmed device sets up an authenticator app (TOTP,
with a QR code drawn here as inline SVG) and gets ten single-use recovery codes, shown
once; a user with a device types the app's code or a recovery code. Then the page they
asked for, if it is on this site.
"""

import math
import re
from base64 import b32encode
from functools import wraps
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_CODE = re.compile(r"\d{6}")

# The same words whoever the username is, and whether or not that account exists.
LOCKED_OUT = (
    "Too many failed sign-in attempts for this username from your network. Sign-in is "
    "paused for {minutes} minutes; try again later, or ask an administrator."
)
WRONG_SETUP_CODE = "That code is not right. Type the 6-digit code your app shows now."
WRONG_CODE = (
    "That code is not right. Type the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes."
)
WAIT = "Too many wrong codes. Wait {seconds} second{s}, then try again with a new code."


# Where to go -----------------------------------------------------------------------------


def is_verified(user) -> bool:
    """Signed in and through the second step in this session (django_otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and check is not None and check())


def safe_next(request, value: str | None = None) -> str:
    """The ?next= page if it is on this site, else the dashboard."""
    if value is None:
        value = request.POST.get("next", request.GET.get("next"))
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url, safe='/')}" if next_url else url


def login_url(next_url: str) -> str:
    return _with_next(resolve_url(settings.LOGIN_URL), next_url)


def second_step_url(user, next_url: str) -> str:
    """The verify page for a user with a device, else the setup page; then next_url."""
    name = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
    return _with_next(reverse(name), next_url)


def verified_required(view):
    """Sign-in first (to the sign-in page), then the second factor (to setup or verify)."""

    @wraps(view)
    def check(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_verified(user):
            return redirect(second_step_url(user, request.get_full_path()))
        return view(request, *args, **kwargs)

    return check


def _in_english(view):
    """The firm's pages are in English, whatever language a client chose on this browser."""

    @wraps(view)
    def in_english(request, *args, **kwargs):
        translation.activate("en")
        request.LANGUAGE_CODE = "en"
        return view(request, *args, **kwargs)

    return in_english


# Password --------------------------------------------------------------------------------


class StaffLoginView(LoginView):
    """Django's sign-in, then on to the second step instead of straight to the page."""

    def dispatch(self, request, *args, **kwargs):
        return _in_english(super().dispatch)(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)  # a new session key
        return redirect(second_step_url(user, self.get_success_url()))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username and IP: the sign-in page, with a message
    that is the same for every username, existing or not (AXES_LOCKOUT_CALLABLE)."""
    translation.activate("en")
    next_url = request.POST.get("next", request.GET.get("next", ""))
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username")}),
        "next": next_url,
        "locked_out": LOCKED_OUT.format(minutes=minutes),
    }
    return render(request, "registration/login.html", context, status=429)


# Second factor ---------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=64,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false",
            "autofocus": True,
        }),
    )  # fmt: skip

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        self.fields["code"].help_text = help_text

    def clean_code(self) -> str:
        """Spaces and dashes, as the codes are shown or as apps group them, do not matter."""
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


def _mark_verified(request, device) -> None:
    request.session.cycle_key()  # the session that passed both steps gets a key of its own
    otp_login(request, device)


def _wait_error(devices) -> str | None:
    """The message if every device refuses codes for now, after wrong ones (throttling)."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        if data and data.get("locked_until"):
            waits.append((data["locked_until"] - timezone.now()).total_seconds())
    if not waits:
        return None
    seconds = max(1, math.ceil(min(waits)))
    return WAIT.format(seconds=seconds, s="" if seconds == 1 else "s")


def _pending_app_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def _confirm(device: TOTPDevice) -> list[str]:
    """The app device becomes the user's; fresh recovery codes replace any earlier ones."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        StaticDevice.objects.filter(user=device.user).delete()
        recovery = StaticDevice.objects.create(user=device.user, name=RECOVERY_DEVICE_NAME)
        codes = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(StaticToken.random_token())
        codes = sorted(codes)
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return codes


def qr_svg(data: str) -> str:
    """A QR code as an inline <svg>: drawn here, so no request leaves the site, and with
    attributes only (no style=), which the Content-Security-Policy allows."""
    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )  # fmt: skip
    root = image.get_image()
    root.set("width", "240")
    root.set("height", "240")
    root.set("role", "img")
    root.set("aria-label", "QR code for your authenticator app")
    root.set("class", "qr-code d-block my-3")
    return image.to_string(encoding="unicode")


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@_in_english
@never_cache
def setup(request):
    """First sign-in: connect an authenticator app, confirmed by one of its codes."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = safe_next(request)
    if user_has_device(user):  # a device exists: only its code lets anyone further
        return redirect(second_step_url(user, next_url))
    device = _pending_app_device(user)
    form = CodeForm(request.POST or None, label="Code from the app",
                    help_text="The 6 digits the app shows for this account.")  # fmt: skip
    if request.method == "POST" and form.is_valid():
        wait = _wait_error([device])
        if wait is None and verify_token(user, device.persistent_id, form.cleaned_data["code"]):
            device.refresh_from_db()
            request.session[RECOVERY_CODES_SESSION_KEY] = _confirm(device)
            _mark_verified(request, device)
            return redirect(_with_next(reverse("two_factor_recovery_codes"), next_url))
        form.add_error("code", wait or WRONG_SETUP_CODE)
    secret = b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "next": next_url, "qr_svg": qr_svg(device.config_url),
        "secret": _grouped(secret),
    })  # fmt: skip


def _match(user, code: str):
    """The device that accepts the code: the app for 6 digits, else a recovery code."""
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    devices = list(model.objects.devices_for_user(user, confirmed=True))
    wait = _wait_error(devices)
    if wait is not None:
        return None, wait
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, None
    return None, None


@_in_english
@never_cache
def verify(request):
    """Each sign-in: the app's current code, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = safe_next(request)
    if is_verified(user):
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(second_step_url(user, next_url))
    form = CodeForm(request.POST or None, label="Code",
                    help_text="The 6 digits your authenticator app shows, or a recovery code.")
    if request.method == "POST" and form.is_valid():
        device, wait = _match(user, form.cleaned_data["code"])
        if device is not None:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"You signed in with a recovery code; it cannot be used "
                                          f"again. {left} of {RECOVERY_CODE_COUNT} left.")
            return redirect(next_url)
        form.add_error("code", wait or WRONG_CODE)
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": next_url})  # fmt: skip


@_in_english
@never_cache
@verified_required
def recovery_codes(request):
    """The new recovery codes, once: they are gone from the session after this page."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    next_url = safe_next(request)
    if not codes:
        return redirect(next_url)
    return render(request, "registration/two_factor_recovery_codes.html", {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes], "next": next_url,
    })  # fmt: skip
