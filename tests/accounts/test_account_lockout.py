"""Lockout across addresses and across usernames (issue 16, "partly open"): besides five
failures for one username from one address, ten failures for one username from any
addresses, and twenty from one address over any usernames, pause the password step."""

import pytest
from django.test import Client

from .helpers import LOCKED_OUT, PASSWORD, error_of, sign_in, signed_in

pytestmark = pytest.mark.django_db

NEUTRAL = ("Too many failed sign-in attempts. Sign-in is paused for 30 minutes; try again "
           "later, or ask an administrator.")  # fmt: skip


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_40_guesses_from_8_addresses_lock_the_account(lawyer):
    """The attacker spreads the guesses over 8 addresses (5 each); the account is locked
    from the 10th on, and the real user from a fresh address is told so, neutrally."""
    responses = []
    for n in range(8):
        browser = from_address(f"203.0.113.{n + 1}")
        responses += [sign_in(browser, "lawyer", f"guess {n}-{i}") for i in range(5)]
    assert not any(signed_in(r) for r in responses)
    # The right password from one of the attacker's addresses does not get in either.
    assert sign_in(from_address("203.0.113.3"), "lawyer", PASSWORD).status_code == 429

    response = sign_in(from_address("198.51.100.77"), "lawyer", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(response)
    assert error_of(response) == NEUTRAL


def test_nine_failures_across_addresses_still_let_the_user_in(lawyer):
    """Below the account's limit nothing is paused, and success clears the count."""
    for n in range(9):
        sign_in(from_address(f"203.0.113.{n + 1}"), "lawyer", "wrong password")
    response = sign_in(from_address("198.51.100.77"), "lawyer", PASSWORD)
    assert response.status_code == 302 and signed_in(response)
    for n in range(9):
        sign_in(from_address(f"203.0.113.{n + 1}"), "lawyer", "wrong password")
    assert signed_in(sign_in(from_address("198.51.100.78"), "lawyer", PASSWORD))


def test_a_24_try_spray_from_one_address_locks_that_address(lawyer, paralegal):
    """One guess each for 24 usernames (real and made up) from one address: that address
    is paused for everyone, with the same words whether the username exists or not; the
    sprayed users can still sign in from their own addresses."""
    spray = from_address("203.0.113.66")
    names = ["lawyer", "paralegal", *[f"user{n}" for n in range(22)]]
    responses = [sign_in(spray, name, "Winter2026!") for name in names]
    assert not any(signed_in(r) for r in responses)
    assert [r.status_code for r in responses[19:]] == [429] * 5
    assert error_of(responses[-1]) == NEUTRAL

    response = sign_in(spray, "lawyer", PASSWORD)
    assert response.status_code == 429 and not signed_in(response)
    assert error_of(sign_in(spray, "nobody-here", "x")) == error_of(response) == NEUTRAL
    assert LOCKED_OUT in NEUTRAL
    assert signed_in(sign_in(from_address("198.51.100.5"), "paralegal", PASSWORD))


def test_a_success_from_the_spraying_address_does_not_clear_the_spray(lawyer, paralegal):
    """The attacker's own good sign-in (a colleague's account, say) resets that account's
    failures, not the address's failures over other usernames."""
    spray = from_address("203.0.113.67")
    for n in range(19):
        sign_in(spray, f"user{n}", "Winter2026!")
    assert signed_in(sign_in(spray, "paralegal", PASSWORD))
    assert sign_in(spray, "user-last", "Winter2026!").status_code == 429
    assert sign_in(spray, "lawyer", PASSWORD).status_code == 429
