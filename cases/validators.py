"""Checks on what a client types; each raises ValidationError with a clear message."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .timezones import today

A_NUMBER = re.compile(r"^A?(\d{8,9})$")
# Apostrophes that Unicode counts as letters of no script (ʼ, the Hawaiian ʻokina).
APOSTROPHE_LETTERS = {"\u02bc", "\u02bb"}


# Nothing a client or the firm records happened before this; an earlier year is a typo
# (0202 for 2020) that would otherwise reach the deadline rules and the calendar.
EARLIEST = date(1900, 1, 1)


def not_long_ago(value: date):
    if value and value < EARLIEST:
        raise ValidationError(_("This date is too long ago. Please check the year."),
                              code="long_ago")  # fmt: skip


def not_in_future(value: date):
    not_long_ago(value)
    if value and value > today():
        raise ValidationError(_("This date is in the future. Please check it."), code="future")


def plausible_birth_date(value: date):
    not_in_future(value)
    if value and value.year < today().year - 120:
        raise ValidationError(_("Please check the year of birth."), code="too_old")


def not_in_past(value: date):
    if value and value < today():
        raise ValidationError(_("This date has already passed. Please check it."), code="past")


# Court dates, judges' deadlines, parole ends and check-ins further ahead than this are
# typing mistakes (immigration courts calendar a few years out at most; a year 9999 broke
# the calendar feed).
MAX_YEARS_AHEAD = 5


def latest_ahead() -> date:
    now = today()
    try:
        return now.replace(year=now.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return now.replace(year=now.year + MAX_YEARS_AHEAD, day=28)


def not_far_ahead(value: date):
    if value and value > latest_ahead():
        raise ValidationError(_("This date is too far ahead. Please check the year."),
                              code="far_ahead")  # fmt: skip


def upcoming(value: date):
    """A date still to come, within MAX_YEARS_AHEAD."""
    not_in_past(value)
    not_far_ahead(value)


def latin_letters(value: str):
    """A name as the passport prints it: every letter Latin (García, Müller, Ñ, ß); spaces,
    hyphens and apostrophes are not letters and pass. A Cyrillic letter that looks Latin is
    caught too."""
    for character in value or "":
        if not character.isalpha() or character in APOSTROPHE_LETTERS:
            continue
        if not unicodedata.name(character, "").startswith("LATIN "):
            raise ValidationError(
                _("Please use Latin letters, as in the passport. There is a separate question "
                  "for the name in your own alphabet."),
                code="not_latin",
            )


def normalise_a_number(value: str) -> str:
    """'A-012-345-678', 'a 12345678' -> 'A012345678'."""
    compact = re.sub(r"[\s\-.]", "", value or "").upper()
    if not compact:
        return ""
    match = A_NUMBER.match(compact)
    if not match:
        raise ValidationError(
            _("An A-number has 8 or 9 digits, for example A-123-456-789."), code="a_number"
        )
    return "A" + match.group(1).zfill(9)
