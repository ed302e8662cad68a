"""Family rules as plain functions: who can be a derivative on the application."""

import calendar
from datetime import date

from dateutil.relativedelta import relativedelta

DERIVATIVE_AGE_LIMIT = 21
UNMARRIED = frozenset({"single", "divorced", "widowed"})


def birthday(date_of_birth: date, age: int) -> date:
    """The day a person reaches `age`; 29 February birthdays fall on 28 February."""
    return date_of_birth + relativedelta(years=age)


def derivative_eligible(
    relationship: str, date_of_birth: date | None, marital_status: str, on: date
) -> bool:
    """A spouse, or an unmarried child under 21 on the date `on`.

    "separated" is still married. A child whose date of birth is unknown is
    not shown as eligible: nobody can tell whether they are under 21.
    """
    if relationship == "spouse":
        return True
    if relationship != "child" or date_of_birth is None:
        return False
    return marital_status in UNMARRIED and on < birthday(date_of_birth, DERIVATIVE_AGE_LIMIT)


def turns_21_within(date_of_birth: date | None, on: date, months: int = 6) -> date | None:
    """The 21st birthday if it falls after `on` and within `months` of it, else None."""
    if date_of_birth is None:
        return None
    day = birthday(date_of_birth, DERIVATIVE_AGE_LIMIT)
    return day if on < day <= on + relativedelta(months=months) else None


def latest_birth_date_aged_21(on: date) -> date:
    """Anyone born on or before this day is 21 or older on `on` (the same 29 February rule
    as `birthday`): for queries that must agree with derivative_eligible."""
    day = on - relativedelta(years=DERIVATIVE_AGE_LIMIT)
    if (day.month, day.day) == (2, 28) and calendar.isleap(day.year):
        return day.replace(day=29)  # born 29 Feb: 21 on 28 Feb of a common year
    return day


def derivative_outlook(
    relationship: str, date_of_birth: date | None, marital_status: str, on: date
) -> tuple[bool, date | None]:
    """Whether this relative can be a derivative on `on`, and for an eligible child the 21st
    birthday when it comes within six months (the application must be filed before it).
    The review step, the case page and the triage e-mail all ask this."""
    eligible = derivative_eligible(relationship, date_of_birth, marital_status, on)
    child = relationship == "child"
    return eligible, turns_21_within(date_of_birth, on) if eligible and child else None
