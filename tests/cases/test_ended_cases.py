"""An ended case: its closed deadlines chase nobody (no digest line, no alert, no calendar
event, no upcoming-deadlines row)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.models import Court, Deadline
from cases.reminder_runs import critical_run, reminders_run
from cases.selectors import upcoming_deadlines
from cases.services import calendar_feed_issue, case_move_stage
from notifications.models import Email

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory
from .test_deadlines import ARRIVAL, TODAY, _today, version_of  # noqa: F401

pytestmark = pytest.mark.django_db

# TODAY is 10 June 2026 (tests/cases/test_deadlines.py, whose _today fixture sets the clock).
INTAKE_NOTE = "From the client's intake; to be confirmed."


def case_with_deadlines(lawyer, *, arrival=ARRIVAL, stage="retained", filed_on=None):
    """A case the lawyer works on, with its computed one-year deadline and, entered, the
    hearing tomorrow the intake gave and a biometrics appointment in 5 days."""
    case = CaseFactory(assigned_attorney=lawyer, stage=stage)
    EntryFactory(client=case.client, date=arrival)
    AsylumClaimFactory(client=case.client, filed_on=filed_on,
                       filing_type="affirmative" if filed_on else "")  # fmt: skip
    court = Court.objects.get(name__startswith="San Diego")
    Deadline.objects.create(case=case, kind="hearing", due_date=TODAY + timedelta(days=1),
                            court=court, time_zone=court.time_zone, note=INTAKE_NOTE)  # fmt: skip
    Deadline.objects.create(case=case, kind="biometrics", due_date=TODAY + timedelta(days=5),
                            entered_by=lawyer)  # fmt: skip
    case.refresh_from_db()
    return case


def end(case, lawyer, ending="closed"):
    case_move_stage(case=case, to_stage=ending, by=lawyer, version=version_of(case))


# Closed deadlines chase nobody.


@pytest.mark.parametrize("ending", ["closed", "declined"])
def test_an_ended_cases_deadlines_chase_nobody(lawyer, ending):
    """Two cases, each with a hearing tomorrow and a one-year deadline in 2 days; one is
    ended. The digest, the alerts, the calendar feed, the upcoming-deadlines page and the
    dashboard's list name the other case only."""
    arrival = date(2025, 6, 12)  # due Friday 12 June 2026
    working = case_with_deadlines(lawyer, arrival=arrival)
    ended = case_with_deadlines(lawyer, arrival=arrival,
                                stage="retained" if ending == "closed" else "consultation")
    end(ended, lawyer, ending)

    assert reminders_run(today=TODAY) == 1
    digest = Email.objects.get()
    assert digest.to == lawyer.email
    assert working.reference in digest.body_text
    assert ended.reference not in digest.body_text

    assert critical_run(today=TODAY) == 2  # the working case's hearing and one-year deadline
    alerts = Email.objects.exclude(pk=digest.pk)
    assert sorted(a.subject for a in alerts) == [
        f"URGENT {working.reference}: hearing TOMORROW",
        f"URGENT {working.reference}: one-year filing deadline in 2 days",
    ]

    feed = Client().get(reverse("cases:calendar", args=[calendar_feed_issue(user=lawyer)]))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert len(summaries) == 3
    assert all(s.startswith(f"{working.reference}: ") for s in summaries)

    page = browser_of(lawyer).get(reverse("cases:deadlines")).content.decode()
    assert working.reference in page
    assert ended.reference not in page
    assert {d.case_id for d in upcoming_deadlines(user=lawyer)} == {working.pk}
