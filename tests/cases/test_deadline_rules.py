"""cases.deadlines: the one-year filing deadline and the EAD clock."""

from datetime import date

import pytest

from cases.deadlines import ead_earliest_grant, ead_filing_date, one_year_filing_deadline


@pytest.mark.parametrize(
    ("last_arrival", "due", "why"),
    [
        (date(2026, 3, 2), date(2027, 3, 2), "a Tuesday stays"),
        (date(2026, 3, 6), date(2027, 3, 8), "Saturday moves to Monday"),
        (date(2026, 3, 7), date(2027, 3, 8), "Sunday moves to Monday"),
        (date(2024, 2, 29), date(2025, 2, 28), "29 February falls due on 28 February"),
        (date(2020, 2, 29), date(2021, 3, 1), "28 February 2021 was a Sunday"),
        (date(2025, 12, 25), date(2026, 12, 28), "Christmas Friday, then the weekend"),
        (date(2025, 11, 26), date(2026, 11, 27), "Thanksgiving 2026 moves it to Friday"),
        (date(2025, 1, 19), date(2026, 1, 20), "MLK Day 2026 is Monday 19 January"),
        (date(2025, 7, 3), date(2026, 7, 6), "3 July 2026 is the observed Fourth of July"),
        (date(2026, 6, 18), date(2027, 6, 21), "18 June 2027: Juneteenth observed, then weekend"),
        (date(2020, 12, 31), date(2022, 1, 3), "31 Dec 2021 observed New Year 2022"),
        (date(2026, 11, 11), date(2027, 11, 12), "Veterans Day 2027 is Thursday"),
    ],
)
def test_one_year_deadline(last_arrival, due, why):
    assert one_year_filing_deadline(last_arrival) == due, why


def test_ead_dates_count_150_and_180_days_from_filing():
    assert ead_filing_date(date(2026, 1, 1)) == date(2026, 5, 31)
    assert ead_earliest_grant(date(2026, 1, 1)) == date(2026, 6, 30)


def test_ead_day_counts_are_settings(settings):
    """A proposed rule would change the waiting periods: they are settings, not code."""
    settings.EAD_FILING_DAYS = 365
    settings.EAD_GRANT_DAYS = 395
    assert ead_filing_date(date(2026, 1, 1)) == date(2027, 1, 1)
    assert ead_earliest_grant(date(2026, 1, 1)) == date(2027, 1, 31)
