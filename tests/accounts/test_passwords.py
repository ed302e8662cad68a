"""Passwords: Django's validators, and the change behind the second factor."""

import pytest
from django.test import Client

from tests.conftest import verified_login

from .helpers import LOGIN, PASSWORD, app_of, password_only

pytestmark = pytest.mark.django_db


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


def test_the_password_is_changed_only_after_the_second_factor(lawyer):
    app_of(lawyer)
    new = "Seven purple tractors sing"
    response = password_only(lawyer).post("/staff/password_change/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new,
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    lawyer.refresh_from_db()
    assert lawyer.check_password(PASSWORD)
