"""Deadline rules as plain functions: values in, values out."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

from .family import birthday


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    # The library lists observed days (5 U.S.C. 6103) as holidays too,
    # e.g. a Friday before a Saturday Fourth of July.
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_federal_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def next_business_day_on_or_after(day: date) -> date:
    """8 CFR 1.1(h): a period ending on a weekend or holiday runs to the next day that is none."""
    while not is_federal_business_day(day):
        day += timedelta(days=1)
    return day


def anniversary(day: date) -> date:
    """The same day a year later; 29 February falls due on 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


def one_year_filing_deadline(last_arrival: date) -> date:
    return next_business_day_on_or_after(anniversary(last_arrival))


UNACCOMPANIED_AGE_LIMIT = 18


def unaccompanied_child(
    *, date_of_birth: date | None, parent_or_guardian_in_us: bool, on: date
) -> bool:
    """An unaccompanied alien child on `on` (6 USC 279(g)): under 18 and no parent or legal
    guardian in the US available to care for them. The one-year rule does not apply to them
    (INA 208(a)(2)(E)). Derived from the answers, never a tick: an adult who came as a child
    alone is bound by the rule. Without a birth date nobody is taken to be one."""
    if date_of_birth is None or parent_or_guardian_in_us:
        return False
    return on < birthday(date_of_birth, UNACCOMPANIED_AGE_LIMIT)


# INA 240(b)(5)(C)(i): a removal order in absentia may be rescinded on a motion to reopen
# filed within 180 days for exceptional circumstances (lack of notice: at any time).
MOTION_TO_REOPEN_DAYS = 180


def motion_to_reopen_due(missed_on: date | None) -> date | None:
    """The last day to move to reopen after the hearing missed on `missed_on`."""
    return missed_on + timedelta(days=MOTION_TO_REOPEN_DAYS) if missed_on else None


def ead_filing_date(filed_on: date) -> date:
    """Earliest day to file for work authorisation (8 CFR 208.7)."""
    return filed_on + timedelta(days=settings.EAD_FILING_DAYS)


def ead_earliest_grant(filed_on: date) -> date:
    """Earliest day work authorisation can be granted (8 CFR 208.7)."""
    return filed_on + timedelta(days=settings.EAD_GRANT_DAYS)


def computed_deadlines(
    *, last_arrival: date | None, unaccompanied_minor: bool, filed_on: date | None,
    stopped_days: int = 0,
) -> dict[str, tuple[date, str | None]]:  # fmt: skip
    """The computed deadlines a case should have: kind -> (due date, status or None).

    A status of None leaves the row open (or reopens one closed by an earlier filing date).
    """
    result = {}
    if last_arrival and not unaccompanied_minor:
        due = one_year_filing_deadline(last_arrival)
        status = None
        if filed_on:
            status = "met" if filed_on <= due else "missed"
        result["one_year"] = (due, status)
    if filed_on:
        stopped = timedelta(days=stopped_days)
        result["ead_filing"] = (ead_filing_date(filed_on) + stopped, None)
        result["ead_grant"] = (ead_earliest_grant(filed_on) + stopped, None)
    return result
