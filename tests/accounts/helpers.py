"""Signing in as a person does, through the sign-in wizard (django-two-factor-auth): the
password step, then the authenticator's code or a recovery code, or the set-up."""

import re
from base64 import b32decode

from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp

from accounts.models import AppDevice

PASSWORD = "a long staff password 42"
WRONG_CREDENTIALS = "Please enter a correct username and password"
LOCKED_OUT = "Too many failed sign-in attempts"
LOGIN = "/staff/login/"
SETUP = "/staff/two-factor/setup/"
RECOVERY = "/staff/two-factor/recovery-codes/"
QR = "/staff/two-factor/qrcode/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.I)


def staff_member(username: str, group: str | None) -> User:
    user = User.objects.create_user(username, f"{username}@firm.example", PASSWORD)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def app_of(user) -> AppDevice:
    """An authenticator app already set up (two_factor asks for its "default" device)."""
    return AppDevice.objects.create(user=user, name="default", confirmed=True)


def code_of(device: AppDevice) -> str:
    """What the authenticator app shows now."""
    return f"{totp(device.bin_key):06d}"


def code_for_key(secret: str) -> str:
    """What an app that scanned this key (base32, as the set-up page shows it) shows now."""
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


def _path(path: str, next_url: str) -> str:
    return f"{path}?next={next_url}" if next_url else path


def sign_in(browser: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    """The password step of the sign-in page."""
    return browser.post(_path(LOGIN, next_url), {
        "login_view-current_step": "auth", "auth-username": username, "auth-password": password,
    })  # fmt: skip


def type_code(browser: Client, code: str, next_url: str = ""):
    """The code step of the sign-in page, after the password."""
    return browser.post(_path(LOGIN, next_url),
                        {"login_view-current_step": "token", "token-otp_token": code})


def type_recovery_code(browser: Client, code: str, next_url: str = ""):
    """After the password, "Use a recovery code", then the code."""
    path = _path(LOGIN, next_url)
    browser.post(path, {"wizard_goto_step": "backup"})
    return browser.post(path, {"login_view-current_step": "backup", "backup-otp_token": code})


def type_setup_code(browser: Client, code: str, next_url: str = ""):
    """The set-up page's code from the newly added app."""
    return browser.post(_path(SETUP, next_url),
                        {"setup_view-current_step": "generator", "generator-token": code})


def after_password(user, next_url: str = "") -> Client:
    """A browser that has done the password step (for a user with an app: at the code step)."""
    browser = Client()
    response = sign_in(browser, user.get_username(), next_url=next_url)
    assert response.status_code in (200, 302)
    return browser


def password_only(user) -> Client:
    """Signed in with the password, the second step not done (as a user without an
    authenticator is after the password, or a session from before the app was set up)."""
    browser = Client()
    browser.force_login(user)
    return browser


def error_of(response) -> str:
    match = re.search(r'id="error-summary">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no error summary on the page"
    return match.group(1).strip()


def has_label(page: str, field_id: str) -> bool:
    return re.search(rf'<label\s+for="{field_id}"', page) is not None


def signed_in(response) -> bool:
    return "_auth_user_id" in response.wsgi_request.session


def at_code_step(response) -> bool:
    """The sign-in page asks for the authenticator's code."""
    page = response.content.decode()
    return response.status_code == 200 and has_label(page, "id_token-otp_token")


def shown_key(response) -> str:
    page = response.content.decode()
    return re.search(r'<code id="totp-secret"[^>]*>(.*?)</code>', page).group(1)


def recovery_codes_on(response) -> list[str]:
    page = response.content.decode()
    listing = re.search(r'<ol id="recovery-codes"[^>]*>(.*?)</ol>', page, re.S)
    assert listing, "no recovery codes on the page"
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", listing.group(1))
