"""The second factor (django-two-factor-auth): an authenticator app set up on the first
sign-in, its code on every sign-in after the password, ten single-use recovery codes."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.crypto import code_digests
from accounts.models import AppDevice, RecoveryCode, RecoveryDevice
from accounts.recovery import recovery_codes_issue, shown
from cases import services
from tests.conftest import verified_login
from tests.factories import CaseFactory

from .helpers import (
    INLINE_SCRIPT,
    LOGIN,
    QR,
    RECOVERY,
    SETUP,
    after_password,
    app_of,
    at_code_step,
    code_for_key,
    code_of,
    error_of,
    has_label,
    password_only,
    recovery_codes_on,
    shown_key,
    sign_in,
    type_code,
    type_recovery_code,
    type_setup_code,
)

pytestmark = pytest.mark.django_db


def sent_to(browser: Client, path: str) -> str:
    """Where a GET of path sends the browser; past the admin's own hop to its login page,
    which sends on to ours."""
    response = browser.get(path)
    assert response.status_code == 302, path
    location = response["Location"]
    if location.startswith("/admin/login/"):
        response = browser.get(location)
        assert response.status_code == 302, location
        location = response["Location"]
    return location


# After the password ---------------------------------------------------------------------


def test_after_the_password_a_user_without_a_device_is_sent_to_setup(lawyer):
    response = sign_in(Client(), "lawyer", next_url="/cases/deadlines/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/cases/deadlines/"


def test_after_the_password_a_user_with_a_device_is_asked_for_a_code(lawyer):
    """Not signed in yet: the same page asks for the app's code, and keeps where to go."""
    app_of(lawyer)
    browser = Client()
    response = sign_in(browser, "lawyer", next_url="/cases/deadlines/")
    assert at_code_step(response)
    assert browser.get("/cases/deadlines/").status_code == 302  # not signed in yet
    response = type_code(browser, code_of(AppDevice.objects.get(user=lawyer)),
                         next_url="/cases/deadlines/")  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/cases/deadlines/"


def test_without_a_device_the_cases_and_the_admin_lead_to_setup(boss):
    browser = password_only(boss)
    for path in ("/cases/", "/admin/"):
        assert sent_to(browser, path) == f"{SETUP}?next={path}"


# Set-up ----------------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_key(lawyer):
    """The QR code is an SVG image drawn on this server; the key is there to type; nothing
    on the page breaks the Content-Security-Policy (no inline script or style)."""
    browser = after_password(lawyer)
    response = browser.get(f"{SETUP}?next=/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    assert not AppDevice.objects.filter(user=lawyer).exists()  # none until confirmed
    assert response.context["otpauth_url"].startswith("otpauth://totp/")
    assert re.search(rf'<img src="{QR}"[^>]*alt="QR code', page)
    secret = response.context["secret_key"]
    shown_secret = shown_key(response)
    assert shown_secret.replace(" ", "") == secret
    assert has_label(page, "id_generator-token")
    assert "style=" not in page
    assert not INLINE_SCRIPT.search(page)
    image = browser.get(QR).content.decode()
    assert re.search(r'<svg [^>]*>.*<path d="M', image, re.S)
    assert "http://" not in image.replace("http://www.w3.org/2000/svg", "")
    # A reload shows the same key: the app already scanned stays right.
    assert shown_key(browser.get(SETUP)) == shown_secret
    assert not AppDevice.objects.filter(user=lawyer).exists()


def test_the_qr_code_is_served_from_our_own_origin(lawyer):
    """The QR code is an SVG from this site (CSP img-src 'self'), for a signed-in user only,
    with nothing in it that loads from elsewhere; it is gone once the set-up is done."""
    assert Client().get(QR).status_code == 302  # no QR code for an anonymous visitor
    browser = after_password(lawyer)
    response = browser.get(SETUP)
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy and "default-src 'self'" in policy
    sources = re.findall(r'<(?:img|script|link)[^>]*(?:src|href)="([^"]+)"',
                         response.content.decode())  # fmt: skip
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    image = browser.get(QR)
    assert image.status_code == 200
    assert image["Content-Type"].startswith("image/svg+xml")
    assert "no-store" in image["Cache-Control"] or "max-age=0" in image["Cache-Control"]
    svg = image.content.decode()
    assert "<script" not in svg and "style=" not in svg and "href" not in svg
    type_setup_code(browser, code_for_key(shown_key(response)))
    assert browser.get(QR).status_code == 404  # the key left the session with the set-up


def test_setup_refuses_a_wrong_code_and_confirms_with_the_right_one(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = after_password(lawyer)
    key = shown_key(browser.get(f"{SETUP}?next=/cases/"))
    wrong = f"{(int(code_for_key(key)) + 1) % 1_000_000:06d}"
    response = type_setup_code(browser, wrong, "/cases/")
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    assert not AppDevice.objects.filter(user=lawyer, confirmed=True).exists()
    assert browser.get("/cases/")["Location"] == f"{SETUP}?next=/cases/"

    time_machine.shift(timedelta(seconds=2))
    response = type_setup_code(browser, code_for_key(key), "/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY}?next=/cases/"
    device = AppDevice.objects.get(user=lawyer)
    assert device.confirmed
    assert RecoveryCode.objects.filter(device__user=lawyer).count() == 10
    page = browser.get(response["Location"])
    assert len(recovery_codes_on(page)) == 10
    assert browser.get("/cases/").status_code == 200


def test_a_user_with_a_device_cannot_set_up_another(lawyer):
    """Someone with only the password cannot add their own app to the account."""
    device = app_of(lawyer)
    response = password_only(lawyer).get(f"{SETUP}?next=/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/cases/"
    response = type_setup_code(password_only(lawyer), code_of(device))
    assert response.status_code == 302
    assert AppDevice.objects.filter(user=lawyer).count() == 1


# Recovery codes --------------------------------------------------------------------------


def set_up(user) -> Client:
    """A first sign-in through the set-up, as far as the recovery codes."""
    browser = after_password(user)
    type_setup_code(browser, code_for_key(shown_key(browser.get(SETUP))))
    return browser


def test_recovery_codes_are_shown_once_and_each_works_once(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = set_up(lawyer)
    response = browser.get(f"{RECOVERY}?next=/cases/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = recovery_codes_on(response)
    assert len(codes) == len(set(codes)) == 10
    again = browser.get(f"{RECOVERY}?next=/cases/")
    assert again.status_code == 302 and again["Location"] == "/cases/"
    assert codes[0] not in browser.get("/cases/").content.decode()

    # A new sign-in with the first code: in, once.
    first = after_password(lawyer, "/cases/")
    response = type_recovery_code(first, codes[0], "/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    page = first.get("/cases/")
    assert page.status_code == 200
    assert "9 of 10 left" in page.content.decode()

    reused = after_password(lawyer, "/cases/")
    response = type_recovery_code(reused, codes[0], "/cases/")
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    assert reused.get("/cases/")["Location"] == f"{LOGIN}?next=/cases/"

    time_machine.shift(timedelta(seconds=2))
    typed = codes[1].upper().replace("-", " ")  # as someone might type it
    response = type_recovery_code(reused, typed, "/cases/")
    assert response.status_code == 302
    assert reused.get("/cases/").status_code == 200
    assert RecoveryDevice.objects.get(user=lawyer).codes.count() == 8


def test_a_recovery_code_is_good_for_one_sign_in_only(lawyer, time_machine):
    """A used recovery code is gone: refused at the next sign-in, from any browser, and
    the other nine still work."""
    time_machine.move_to(timezone.now(), tick=False)
    app_of(lawyer)
    codes = recovery_codes_issue(user=lawyer)
    assert type_recovery_code(after_password(lawyer), shown(codes[3])).status_code == 302
    used = code_digests(codes[3], user_id=lawyer.pk)[0]
    assert not RecoveryCode.objects.filter(device__user=lawyer, digest=used).exists()
    for browser in (after_password(lawyer), after_password(lawyer)):
        time_machine.shift(timedelta(seconds=5))
        response = type_recovery_code(browser, codes[3])
        assert response.status_code == 200
        assert "That code is not right" in error_of(response)
        assert "_auth_user_id" not in browser.session
    time_machine.shift(timedelta(seconds=10))
    assert type_recovery_code(after_password(lawyer), codes[4]).status_code == 302
    assert RecoveryCode.objects.filter(device__user=lawyer).count() == 8


def test_new_recovery_codes_replace_the_old_ones(lawyer):
    """Asking for new codes (a POST, second factor done) shows ten new ones once; the old
    ones stop working."""
    browser = set_up(lawyer)
    old = recovery_codes_on(browser.get(RECOVERY))
    response = browser.post(f"{RECOVERY}?next=/cases/")
    assert response.status_code == 302
    new = recovery_codes_on(browser.get(response["Location"]))
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(device__user=lawyer).count() == 10
    assert password_only(lawyer).post(RECOVERY).status_code == 302  # not without the code
    assert RecoveryCode.objects.filter(device__user=lawyer).count() == 10


# The code at sign-in ---------------------------------------------------------------------


def test_the_verify_page_takes_the_apps_code_and_refuses_a_wrong_one(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = Client()
    page = sign_in(browser, "lawyer", next_url="/cases/")
    assert page.status_code == 200
    assert has_label(page.content.decode(), "id_token-otp_token")
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = type_code(browser, wrong, "/cases/")
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    response = type_code(browser, code_of(device), "/cases/")
    assert response.status_code == 200
    assert "Wait" in error_of(response)  # throttled: the right code must wait a moment
    time_machine.shift(timedelta(seconds=2))
    response = type_code(browser, code_of(device), "/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"


def test_a_used_app_code_cannot_be_used_again(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    code = code_of(device)
    assert type_code(after_password(lawyer), code).status_code == 302
    response = type_code(after_password(lawyer), code)
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)


def test_a_verified_session_reaches_the_cases_and_the_admin(lawyer, boss):
    browser = Client()
    verified_login(browser, lawyer)
    response = browser.get("/cases/")
    assert response.status_code == 200
    assert 'href="/cases/deadlines/"' in response.content.decode()
    admin = Client()
    verified_login(admin, boss)
    assert admin.get("/admin/").status_code == 200
    assert admin.get(reverse("admin:index")).status_code == 200


def test_an_unverified_session_reaches_no_staff_page(boss, paralegal):
    """With the password alone: no staff page, no export, no admin, no calendar link, no
    password change; the public intake and the calendar feed work as for anyone."""
    app_of(boss)
    case = CaseFactory()
    token = services.calendar_feed_issue(user=boss)
    browser = password_only(boss)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/export/?format=csv",
                 "/cases/deadlines/", "/admin/", "/admin/auth/user/",
                 "/staff/password_change/"):  # fmt: skip
        assert sent_to(browser, path).startswith(f"{LOGIN}?next="), path
    response = browser.post("/cases/calendar/link/", {"action": "create"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = browser.post(f"/cases/{case.pk}/notes/", {"text": "Not without the code"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not case.notes.exists()
    page = browser.get("/cases/", follow=True).content.decode()
    assert 'href="/cases/deadlines/"' not in page  # no staff links before the second step

    intake = browser.get("/intake/", follow=True)
    assert intake.status_code == 200
    assert intake.redirect_chain[-1][0].startswith("/intake/step/")
    feed = browser.get(f"/cases/calendar/{token}.ics")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")

    # The same for a staff member who never set up a device (to setup rather than verify).
    other = password_only(paralegal)
    response = other.get("/cases/export/?format=csv")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
