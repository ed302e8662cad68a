"""Staff sessions: a new key after each sign-in step, safe cookies, and an end when idle
or after a working day (accounts.middleware.SessionTimeoutMiddleware)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import verified_login

from .helpers import LOGIN, app_of, code_of, sign_in, signed_in, type_code

pytestmark = pytest.mark.django_db


def test_the_session_key_changes_at_sign_in_and_at_the_second_step(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    browser = Client()
    anonymous = browser.session.session_key
    response = sign_in(browser, "lawyer")
    assert response.status_code == 200  # the code step, on the same page
    after_password = browser.cookies["sessionid"].value
    assert after_password != anonymous
    assert not Session.objects.filter(session_key=anonymous).exists()
    type_code(browser, code_of(device))
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
