"""Deadline rules as plain functions: values in, values out."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


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


def ead_filing_date(filed_on: date) -> date:
    """Earliest day to file for work authorisation (8 CFR 208.7)."""
    return filed_on + timedelta(days=settings.EAD_FILING_DAYS)


def ead_earliest_grant(filed_on: date) -> date:
    """Earliest day work authorisation can be granted (8 CFR 208.7)."""
    return filed_on + timedelta(days=settings.EAD_GRANT_DAYS)
