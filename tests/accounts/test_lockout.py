"""Lockout by django-axes: five wrong passwords for one username from one address."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from .helpers import (
    LOCKED_OUT,
    LOGIN,
    PASSWORD,
    WRONG_CREDENTIALS,
    app_of,
    at_code_step,
    error_of,
    has_label,
    sign_in,
    signed_in,
)

pytestmark = pytest.mark.django_db


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
    assert has_label(page, "id_auth-username") and has_label(page, "id_auth-password")
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


def test_a_locked_out_user_with_an_app_is_not_asked_for_a_code(lawyer):
    """The lockout stops the sign-in at the password: the right password of a locked-out
    user with an authenticator does not lead on to the code step, from the staff sign-in
    or from the admin's."""
    app_of(lawyer)
    browser = Client()
    for _ in range(5):
        sign_in(browser, "lawyer", "wrong password")
    response = sign_in(browser, "lawyer", PASSWORD)
    assert response.status_code == 429
    assert not at_code_step(response)
    assert LOCKED_OUT in error_of(response)
    admin_sign_in = browser.get("/admin/login/?next=/admin/", follow=True)
    assert admin_sign_in.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"
    response = sign_in(browser, "lawyer", PASSWORD, next_url="/admin/")
    assert response.status_code == 429 and not at_code_step(response)


def test_the_lockout_page_is_in_english_whatever_the_language_cookie(lawyer):
    browser = Client()
    browser.cookies["django_language"] = "ru"
    for _ in range(5):
        response = sign_in(browser, "lawyer", "wrong password")
    assert response.status_code == 429
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
