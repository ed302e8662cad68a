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
