"""The staff sign-in page: password then code, the same error for any wrong username or
password, `next` only to this site, English whatever the client's language, sign-out,
password reset."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications.models import Email
from tests.conftest import verified_login
from tests.mailserver import deliver_outbox

from .conftest import run
from .helpers import (
    LOGIN,
    PASSWORD,
    SETUP,
    after_password,
    app_of,
    at_code_step,
    code_of,
    sign_in,
    type_code,
)

pytestmark = pytest.mark.django_db


def browser_of(user=None) -> Client:
    browser = Client()
    if user is not None:
        verified_login(browser, user)
    return browser


def test_the_sign_in_page_renders(lawyer):
    """The staff sign-in page shows a username and password form."""
    response = browser_of().get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="auth-username"' in page and 'name="auth-password"' in page


def test_signing_in_leads_to_the_dashboard(lawyer):
    """The right password, then the app's code, signs the user in and opens the case list."""
    device = app_of(lawyer)
    browser = browser_of()
    response = browser.post(LOGIN, {"login_view-current_step": "auth",
                                    "auth-username": "lawyer", "auth-password": PASSWORD})
    assert at_code_step(response)
    response = type_code(browser, code_of(device))
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert browser.get("/cases/").status_code == 200


def test_a_wrong_password_does_not_say_whether_the_username_exists(lawyer):
    """A wrong password and an unknown username get the very same error."""
    errors = []
    for username in ("lawyer", "no-such-user"):
        response = sign_in(browser_of(), username, "wrong password")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="error-summary"' in page
        assert "_auth_user_id" not in response.wsgi_request.session
        errors.append(response.context["form"].non_field_errors())
    assert errors[0] == errors[1]
    assert "Please enter a correct username and password" in errors[0][0]


def test_next_must_be_on_this_site(lawyer, paralegal, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = after_password(lawyer, "https://evil.example/")
    response = type_code(browser, code_of(device), "https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    response = sign_in(Client(), "paralegal", next_url="//evil.example/")
    assert response["Location"] == f"{SETUP}?next=/cases/"


def test_the_sign_in_pages_are_in_english_whatever_the_language_cookie(lawyer, paralegal):
    """A client chose Russian on this browser: the staff sign-in, its code step and the
    set-up are still in English."""
    app_of(lawyer)
    browser = Client()
    browser.cookies["django_language"] = "ru"
    assert '<html lang="ru">' in browser.get("/intake/", follow=True).content.decode()
    pages = [browser.get(LOGIN), sign_in(browser, "lawyer")]
    other = Client()
    other.cookies["django_language"] = "ru"
    pages.append(other.get(sign_in(other, "paralegal")["Location"]))
    for response in pages:
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in pages[0].content.decode()
    assert "Two-step sign-in" in pages[1].content.decode()
    assert "Set up two-step sign-in" in pages[2].content.decode()


def test_logout_is_a_post_and_then_the_cases_need_signing_in_again(lawyer):
    """Signing out is a form button (a POST); afterwards the case list asks to sign in."""
    browser = browser_of(lawyer)
    assert browser.get("/cases/").status_code == 200
    assert browser.get("/staff/logout/").status_code == 405
    assert browser.get("/cases/").status_code == 200
    response = browser.post("/staff/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/"
    response = browser.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/cases/"


def test_the_password_reset_form_sends_an_email_to_a_known_address(lawyer, settings, queued):
    """A staff member who forgot the password gets a reset link by e-mail, through the
    outbox like every e-mail, the link built from SITE_URL and not kept once sent."""
    settings.EMAIL_BACKEND = "notifications.backends.OutboxBackend"  # as outside the tests
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]  # a Host not ours
    browser = browser_of()
    assert browser.get("/staff/password_reset/").status_code == 200
    response = browser.post("/staff/password_reset/", {"email": "lawyer@firm.example"},
                            HTTP_HOST="evil.example")  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/staff/password_reset/done/"
    run(queued)  # what the worker does (accounts.tasks)
    assert deliver_outbox() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lawyer@firm.example"]
    assert f"{settings.SITE_URL}/staff/reset/" in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[0].body
    assert Email.objects.get().body_text == ""  # the link is not kept in the database


def test_the_password_reset_form_looks_the_same_for_an_unknown_address(lawyer, queued):
    """An unknown address gets the same answer, and no e-mail goes anywhere."""
    response = browser_of().post("/staff/password_reset/", {"email": "nobody@firm.example"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/password_reset/done/"
    run(queued)
    assert deliver_outbox() == 0
    assert mail.outbox == []
