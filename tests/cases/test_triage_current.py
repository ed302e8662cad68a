"""Triage kept current: every change of a fact or a deadline assesses the case again, the
daily run does it for the passage of time, and an ended case's deadlines stop chasing."""

from datetime import date, timedelta

import pytest

from cases.models import Deadline
from cases.reminder_runs import reminders_run
from cases.services import case_move_stage, cases_retriage
from notifications.models import Email

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory
from .test_deadlines import TODAY, _today, add_deadline, record_filing, version_of  # noqa: F401

pytestmark = pytest.mark.django_db

# TODAY is 10 June 2026 (tests/cases/test_deadlines.py, whose _today fixture sets the clock).


@pytest.fixture
def late(lawyer):
    """Arrived 3 February 2025: the one-year deadline passed on 3 February 2026."""
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=date(2025, 2, 3))
    AsylumClaimFactory(client=case.client)
    case.refresh_from_db()
    return case


def test_a_passed_one_year_deadline_is_critical_until_the_filing_is_recorded(lawyer, late):
    assert late.priority == "critical"
    assert "One-year deadline passed 127 days ago: exception needed" in late.priority_reasons

    assert record_filing(browser_of(lawyer), late, date(2026, 6, 1)).status_code == 302
    late.refresh_from_db()
    assert not any("One-year" in reason for reason in late.priority_reasons)
    assert late.priority == "normal"


def test_a_judges_filing_deadline_in_two_days_makes_the_case_critical(lawyer):
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=date(2026, 1, 5))
    case.refresh_from_db()
    assert case.priority == "normal"  # the one-year deadline in 209 days: not urgent

    due = (TODAY + timedelta(days=2)).isoformat()
    response = add_deadline(browser_of(lawyer), case, kind="court_filing", due_date=due)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.priority == "critical"
    assert "Judge's filing deadline in 2 days" in case.priority_reasons


def test_the_daily_run_follows_the_calendar_and_leaves_ended_cases_alone(lawyer):
    """On 10 June a one-year deadline of 2 July is 22 days away (high); on 20 June it is 12
    days away (critical). A closed case is not assessed any more."""
    open_case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=open_case.client, date=date(2025, 7, 2))
    closed = CaseFactory(assigned_attorney=lawyer, stage="closed")
    EntryFactory(client=closed.client, date=date(2025, 7, 2))
    Deadline.objects.filter(case=closed).update(status="not_applicable")
    closed.refresh_from_db()
    before_closed = (closed.priority, closed.priority_reasons)
    open_case.refresh_from_db()
    assert open_case.priority == "high"

    assert cases_retriage(today=date(2026, 6, 20)) == 1
    open_case.refresh_from_db()
    assert open_case.priority == "critical"
    assert "One-year deadline in 12 days" in open_case.priority_reasons
    closed.refresh_from_db()
    assert (closed.priority, closed.priority_reasons) == before_closed
    assert cases_retriage(today=date(2026, 6, 20)) == 0  # nothing new the same day


@pytest.mark.parametrize("ending", ["closed", "declined"])
def test_an_ended_case_stops_chasing_its_deadlines(lawyer, late, ending):
    hearing = Deadline.objects.create(case=late, kind="hearing", due_date=TODAY)
    late.stage = "retained" if ending == "closed" else "consultation"
    late.save()
    case_move_stage(case=late, to_stage=ending, by=lawyer, version=version_of(late),
                    reason="The client chose another firm.")  # fmt: skip

    statuses = set(Deadline.objects.filter(case=late).values_list("status", flat=True))
    assert statuses == {"not_applicable"}
    hearing.refresh_from_db()
    assert hearing.note == f"Case {ending}."
    late.refresh_from_db()
    assert late.next_deadline_date is None
    assert reminders_run(today=TODAY) == 0  # no digest, no alert for them
    assert not Email.objects.exists()
