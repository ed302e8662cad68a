"""The pending authenticator key belongs to the one signed-in session that opened the
set-up (issue 16, item 2): someone who has only the password cannot copy the key the real
user will enrol, nor enrol a key shown to another session."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AppDevice

from .helpers import (
    SETUP,
    after_password,
    at_code_step,
    code_for_key,
    shown_key,
    sign_in,
    signed_in,
    type_code,
    type_setup_code,
)

pytestmark = pytest.mark.django_db


def test_two_sessions_with_the_same_password_get_different_keys(lawyer, time_machine):
    """The attacker (A) and the real user (B) both know the password; A copies the key shown
    to A. B's set-up shows another key, A's codes do not complete B's set-up, and once B has
    enrolled, A's codes do not pass the second step."""
    time_machine.move_to(timezone.now(), tick=False)
    attacker, owner = after_password(lawyer), after_password(lawyer)
    attacker_key = shown_key(attacker.get(SETUP))
    owner_key = shown_key(owner.get(SETUP))
    assert attacker_key.replace(" ", "") != owner_key.replace(" ", "")

    response = type_setup_code(owner, code_for_key(attacker_key))
    assert response.status_code == 200  # the attacker's key is not the one B may enrol
    assert not AppDevice.objects.filter(user=lawyer, confirmed=True).exists()

    time_machine.shift(timedelta(seconds=31))
    response = type_setup_code(owner, code_for_key(owner_key))
    assert response.status_code == 302
    assert AppDevice.objects.filter(user=lawyer, confirmed=True).count() == 1

    # Later the attacker signs in with the password and types a code from the copied key.
    time_machine.shift(timedelta(seconds=31))
    later = Client()
    assert at_code_step(sign_in(later, "lawyer"))
    response = type_code(later, code_for_key(attacker_key))
    assert response.status_code == 200 and at_code_step(response)
    assert later.get("/cases/").status_code == 302
    # ...and the attacker's old set-up session cannot add its key either.
    response = type_setup_code(attacker, code_for_key(attacker_key))
    assert AppDevice.objects.filter(user=lawyer).count() == 1
    assert attacker.get("/cases/").status_code == 302


def test_a_new_set_up_replaces_the_pending_key(lawyer, time_machine):
    """Signing in again starts a new set-up with a new key: the key shown before that
    sign-in (on this browser, or copied from it) is dead."""
    time_machine.move_to(timezone.now(), tick=False)
    browser = after_password(lawyer)
    old_key = shown_key(browser.get(SETUP))
    response = sign_in(browser, "lawyer")
    assert signed_in(response)
    new_key = shown_key(browser.get(SETUP))
    assert new_key != old_key
    response = type_setup_code(browser, code_for_key(old_key))
    assert response.status_code == 200
    assert not AppDevice.objects.filter(user=lawyer).exists()
    time_machine.shift(timedelta(seconds=31))
    assert type_setup_code(browser, code_for_key(new_key)).status_code == 302
