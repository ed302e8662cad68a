"""Staff accounts: lockout after wrong passwords, a second factor on every staff page,
recovery codes, and sessions that end when idle or after a working day."""

import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services
from cases.emails import triage_context
from notifications.rendering import email_render

from .conftest import verified_login
from .factories import AsylumClaimFactory, CaseFactory, ClientFactory, EntryFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long staff password 42"
WRONG_CREDENTIALS = "Please enter a correct username and password"
LOCKED_OUT = "Too many failed sign-in attempts"
LOGIN = "/staff/login/"
SETUP = "/staff/two-factor/setup/"
VERIFY = "/staff/two-factor/"
RECOVERY = "/staff/two-factor/recovery-codes/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.I)


@pytest.fixture
def lawyer():
    user = User.objects.create_user("lawyer", "lawyer@firm.example", PASSWORD)
    user.groups.add(Group.objects.get(name="attorneys"))
    return user


@pytest.fixture
def paralegal():
    user = User.objects.create_user("paralegal", "paralegal@firm.example", PASSWORD)
    user.groups.add(Group.objects.get(name="staff"))
    return user


@pytest.fixture
def boss():
    return User.objects.create_superuser("boss", "boss@firm.example", PASSWORD)


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    return f"{totp(device.bin_key):06d}"


def sign_in(browser: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    path = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return browser.post(path, {"username": username, "password": password})


def password_only(user) -> Client:
    """Signed in with the password, the second step not done."""
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


def recovery_codes_on(response) -> list[str]:
    page = response.content.decode()
    listing = re.search(r'<ol id="recovery-codes"[^>]*>(.*?)</ol>', page, re.S)
    assert listing, "no recovery codes on the page"
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", listing.group(1))


# Passwords -----------------------------------------------------------------------------


def test_a_new_password_needs_12_characters_and_must_not_be_a_common_one(lawyer):
    browser = Client()
    verified_login(browser, lawyer)
    path = "/staff/password_change/"
    for new, error in (("short pass", "at least 12 characters"),
                       ("qwerty123456", "too common"),
                       ("lawyer@firm.example", "too similar")):  # fmt: skip
        response = browser.post(path, {"old_password": PASSWORD, "new_password1": new,
                                       "new_password2": new})  # fmt: skip
        assert response.status_code == 200, new
        assert error in response.content.decode(), new
    new = "Seven purple tractors sing"
    response = browser.post(path, {"old_password": PASSWORD, "new_password1": new,
                                   "new_password2": new})  # fmt: skip
    assert response.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.check_password(new)


# Lockout -------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_username_from_that_address(lawyer, paralegal):
    """After 5 wrong passwords for one username from one IP address even the right password
    is refused, on the sign-in page with the lockout message; another username from the
    same address, and the same username from another address, can still sign in."""
    browser = Client()
    for _ in range(4):
        response = sign_in(browser, "lawyer", "wrong password")
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in error_of(response)
    response = sign_in(browser, "lawyer", "wrong password")
    assert response.status_code == 429
    assert LOCKED_OUT in error_of(response)

    response = sign_in(browser, "lawyer", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(response)
    page = response.content.decode()
    assert LOCKED_OUT in error_of(response)
    assert has_label(page, "id_username") and has_label(page, "id_password")
    assert 'name="csrfmiddlewaretoken"' in page

    response = sign_in(Client(), "paralegal", PASSWORD)
    assert response.status_code == 302 and signed_in(response)
    response = sign_in(Client(REMOTE_ADDR="10.20.30.40"), "lawyer", PASSWORD)
    assert response.status_code == 302 and signed_in(response)


def test_the_lockout_ends_after_30_minutes(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = Client()
    for _ in range(5):
        sign_in(browser, "lawyer", "wrong password")
    time_machine.shift(timedelta(minutes=29))
    assert sign_in(browser, "lawyer", PASSWORD).status_code == 429
    time_machine.shift(timedelta(minutes=31))
    response = sign_in(browser, "lawyer", PASSWORD)
    assert response.status_code == 302 and signed_in(response)


def test_the_messages_do_not_say_whether_the_username_exists(lawyer):
    """A wrong password and an unknown username get the same error, and, five tries on,
    the same lockout message."""
    errors, lockouts = [], []
    for username in ("lawyer", "no-such-user"):
        browser = Client()
        errors.append(error_of(sign_in(browser, username, "wrong password")))
        for _ in range(4):
            response = sign_in(browser, username, "wrong password")
        assert response.status_code == 429
        lockouts.append(error_of(response))
    assert errors[0] == errors[1]
    assert WRONG_CREDENTIALS in errors[0]
    assert lockouts[0] == lockouts[1]
    assert LOCKED_OUT in lockouts[0]
    assert "lawyer" not in lockouts[0] and "no-such-user" not in lockouts[1]


def test_signing_in_clears_the_earlier_failures(lawyer):
    """4 wrong passwords, then the right one: the count starts again from nothing."""
    browser = Client()
    for _ in range(4):
        sign_in(browser, "lawyer", "wrong password")
    assert sign_in(browser, "lawyer", PASSWORD).status_code == 302
    browser.post("/staff/logout/")
    for _ in range(4):
        assert sign_in(browser, "lawyer", "wrong password").status_code == 200
    assert sign_in(browser, "lawyer", PASSWORD).status_code == 302


# The second factor ---------------------------------------------------------------------


def test_after_the_password_a_user_without_a_device_is_sent_to_setup(lawyer):
    response = sign_in(Client(), "lawyer", next_url="/cases/deadlines/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/cases/deadlines/"


def test_after_the_password_a_user_with_a_device_is_asked_for_a_code(lawyer):
    app_of(lawyer)
    response = sign_in(Client(), "lawyer", next_url="/cases/deadlines/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/cases/deadlines/"


def test_without_a_device_the_cases_and_the_admin_lead_to_setup(boss):
    browser = password_only(boss)
    for path in ("/cases/", "/admin/"):
        response = browser.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next={path}"


def test_the_setup_page_shows_a_qr_code_and_the_key(lawyer):
    """The QR code is inline SVG drawn on the server; the key is there to type; nothing
    on the page breaks the Content-Security-Policy (no inline script or style)."""
    response = password_only(lawyer).get(f"{SETUP}?next=/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=lawyer)
    assert not device.confirmed
    assert device.config_url.startswith("otpauth://totp/")
    assert re.search(r'<svg [^>]*role="img"[^>]*>.*<path d="M', page, re.S)
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'<code id="totp-secret"[^>]*>(.*?)</code>', page).group(1)
    assert shown.replace(" ", "") == secret
    assert has_label(page, "id_code")
    assert "style=" not in page
    assert not INLINE_SCRIPT.search(page)
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", "")
    # A reload shows the same key: the app already scanned stays right.
    again = password_only(lawyer).get(SETUP).content.decode()
    assert re.search(r'<code id="totp-secret"[^>]*>(.*?)</code>', again).group(1) == shown
    assert TOTPDevice.objects.filter(user=lawyer).count() == 1


def test_setup_refuses_a_wrong_code_and_confirms_with_the_right_one(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = password_only(lawyer)
    browser.get(f"{SETUP}?next=/cases/")
    device = TOTPDevice.objects.get(user=lawyer)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = browser.post(f"{SETUP}?next=/cases/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert browser.get("/cases/")["Location"] == f"{SETUP}?next=/cases/"

    time_machine.shift(timedelta(seconds=2))  # wrong codes slow the next try down
    response = browser.post(f"{SETUP}?next=/cases/", {"code": code_of(device)})
    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY}?next=/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=lawyer).count() == 10
    page = browser.get(response["Location"])
    assert len(recovery_codes_on(page)) == 10
    assert browser.get("/cases/").status_code == 200


def test_a_user_with_a_device_cannot_set_up_another(lawyer):
    """Someone with only the password cannot add their own app to the account."""
    device = app_of(lawyer)
    response = password_only(lawyer).get(f"{SETUP}?next=/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/cases/"
    response = password_only(lawyer).post(SETUP, {"code": code_of(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=lawyer).count() == 1


def test_recovery_codes_are_shown_once_and_each_works_once(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = password_only(lawyer)
    browser.get(SETUP)
    device = TOTPDevice.objects.get(user=lawyer)
    browser.post(SETUP, {"code": code_of(device)})
    response = browser.get(f"{RECOVERY}?next=/cases/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = recovery_codes_on(response)
    assert len(codes) == len(set(codes)) == 10
    again = browser.get(f"{RECOVERY}?next=/cases/")
    assert again.status_code == 302 and again["Location"] == "/cases/"
    assert codes[0] not in browser.get("/cases/").content.decode()

    # A new sign-in with the first code: in, once.
    first = password_only(lawyer)
    response = first.post(f"{VERIFY}?next=/cases/", {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    page = first.get("/cases/")
    assert page.status_code == 200
    assert "9 of 10 left" in page.content.decode()

    reused = password_only(lawyer)
    response = reused.post(f"{VERIFY}?next=/cases/", {"code": codes[0]})
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    assert reused.get("/cases/")["Location"] == f"{VERIFY}?next=/cases/"

    time_machine.shift(timedelta(seconds=2))
    typed = codes[1].upper().replace("-", " ")  # as someone might type it
    response = reused.post(f"{VERIFY}?next=/cases/", {"code": typed})
    assert response.status_code == 302
    assert reused.get("/cases/").status_code == 200
    assert StaticDevice.objects.get(user=lawyer).token_set.count() == 8


def test_the_verify_page_takes_the_apps_code_and_refuses_a_wrong_one(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = password_only(lawyer)
    page = browser.get(f"{VERIFY}?next=/cases/")
    assert page.status_code == 200
    assert has_label(page.content.decode(), "id_code")
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = browser.post(f"{VERIFY}?next=/cases/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    response = browser.post(f"{VERIFY}?next=/cases/", {"code": code_of(device)})
    assert response.status_code == 200
    assert "Wait" in error_of(response)  # throttled: the right code must wait a moment
    time_machine.shift(timedelta(seconds=2))
    response = browser.post(f"{VERIFY}?next=/cases/", {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == "/cases/"


def test_a_used_app_code_cannot_be_used_again(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    code = code_of(device)
    assert password_only(lawyer).post(VERIFY, {"code": code}).status_code == 302
    response = password_only(lawyer).post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)


def test_next_must_be_on_this_site(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = password_only(lawyer)
    response = browser.post(f"{VERIFY}?next=https://evil.example/", {"code": code_of(device)})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    response = sign_in(Client(), "lawyer", next_url="//evil.example/")
    assert response["Location"] == f"{VERIFY}?next=/cases/"


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
        response = browser.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{VERIFY}?next="), path
    response = browser.post("/cases/calendar/link/", {"action": "create"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = browser.post(f"/cases/{case.pk}/notes/", {"text": "Not without the code"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
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


def test_the_admin_sign_in_goes_through_the_staff_sign_in():
    response = Client().get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/auth/user/"
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"


# Sessions ------------------------------------------------------------------------------


def test_the_session_key_changes_at_sign_in_and_at_the_second_step(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = Client()
    anonymous = browser.session.session_key
    response = sign_in(browser, "lawyer")
    assert response.status_code == 302
    after_password = browser.cookies["sessionid"].value
    assert after_password != anonymous
    assert not Session.objects.filter(session_key=anonymous).exists()
    browser.post(VERIFY, {"code": code_of(device)})
    after_code = browser.cookies["sessionid"].value
    assert after_code != after_password
    assert not Session.objects.filter(session_key=after_password).exists()
    assert browser.get("/cases/").status_code == 200


def test_29_minutes_idle_keeps_the_session_31_signs_out(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = Client()
    verified_login(browser, lawyer)
    assert browser.get("/cases/").status_code == 200
    time_machine.shift(timedelta(minutes=29))
    assert browser.get("/cases/").status_code == 200
    time_machine.shift(timedelta(minutes=29))  # 58 minutes in, but 29 since the last page
    assert browser.get("/cases/").status_code == 200
    time_machine.shift(timedelta(minutes=31))
    response = browser.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/cases/"
    assert not signed_in(response)
    page = browser.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page
    assert browser.get("/cases/").status_code == 302


def test_a_sign_in_lasts_12_hours_however_active(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    browser = Client()
    verified_login(browser, lawyer)
    for _ in range(12 * 3):  # a page every 20 minutes, never idle
        assert browser.get("/cases/").status_code == 200
        time_machine.shift(timedelta(minutes=20))
    assert browser.get("/cases/").status_code == 200  # 12 h 00 min: still in
    time_machine.shift(timedelta(minutes=20))
    response = browser.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/cases/"
    assert "a sign-in lasts at most 12 hours" in browser.get(LOGIN).content.decode()


def test_the_session_cookie_is_httponly_and_lax(lawyer):
    response = sign_in(Client(), "lawyer")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 12 * 60 * 60


# Pages ---------------------------------------------------------------------------------


def test_staff_pages_are_never_cached(boss):
    case = CaseFactory()
    browser = Client()
    verified_login(browser, boss)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/deadlines/",
                 "/cases/export/?format=csv", "/admin/"):  # fmt: skip
        response = browser.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        if response.streaming:
            b"".join(response.streaming_content)


MARKUP = '<script>alert("x")</script>'
IMAGE = "<img src=x onerror=alert(1)>"


def test_markup_in_names_and_stories_is_shown_as_text(lawyer):
    """A client's name or story full of markup is text on the staff pages and in e-mails."""
    case = CaseFactory(client=ClientFactory(given_names=MARKUP, family_name=IMAGE,
                                            email="client@example.org"))  # fmt: skip
    EntryFactory(client=case.client)
    AsylumClaimFactory(client=case.client, feared_harm=f"They said {MARKUP} and {IMAGE}.")
    browser = Client()
    verified_login(browser, lawyer)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/?q=alert"):
        page = browser.get(path).content.decode()
        assert MARKUP not in page and IMAGE not in page, path
        assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page, path
    _subject, text, html = email_render("cases/emails/triage", triage_context(case))
    assert MARKUP not in html and IMAGE not in html
    assert "&lt;script&gt;" in html
    assert "They said" not in text and "They said" not in html  # no story in e-mail
