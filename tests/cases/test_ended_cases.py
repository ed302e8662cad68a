"""An ended case: its closed deadlines chase nobody (no digest line, no alert, no calendar
event, no upcoming-deadlines row), and an attorney who takes the case back reopens the
computed deadlines its ending closed, while those entered by hand stay closed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.models import Court, Deadline, StageChange
from cases.reminder_runs import critical_run, reminders_run
from cases.selectors import upcoming_deadlines
from cases.services import calendar_feed_issue, case_move_stage, cases_retriage
from notifications.models import Email

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory
from .test_case_page import NOT_ALLOWED, messages_of, section
from .test_deadlines import (  # noqa: F401
    ARRIVAL,
    FILED,
    ONE_YEAR_DUE,
    TODAY,
    _today,
    computed,
    record_filing,
    url,
    version_of,
)

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
    reason = "Outside the firm's practice." if ending == "declined" else ""
    case_move_stage(case=case, to_stage=ending, by=lawyer, version=version_of(case),
                    reason=reason)  # fmt: skip


def move(browser, case, to_stage):
    return browser.post(url("stage", case), {"to_stage": to_stage, "version": version_of(case)},
                        follow=True)  # fmt: skip


def statuses(case) -> dict[str, tuple[str, str]]:
    return {d.kind: (d.status, d.note) for d in Deadline.objects.filter(case=case)}


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


# Reopening.


@pytest.mark.parametrize(("ending", "back", "before"), [
    ("closed", "retained", "retained"), ("declined", "triaged", "consultation"),
])  # fmt: skip
def test_staff_cannot_reopen_an_ended_case(lawyer, paralegal, ending, back, before):
    """Taking a case back is an attorney's decision: a paralegal's move is refused and the
    deadlines stay closed."""
    case = case_with_deadlines(lawyer, stage=before)
    end(case, lawyer, ending)
    closed = statuses(case)

    response = move(browser_of(paralegal), case, back)
    assert messages_of(response) == [NOT_ALLOWED]
    case.refresh_from_db()
    assert case.stage == ending
    assert statuses(case) == closed
    assert StageChange.objects.filter(case=case).count() == 1


def test_an_attorney_reopens_a_closed_case(lawyer):
    """Closed, then back to retained: the one-year deadline is open again with its note as it
    was, the next deadline on the case again; the hearing and the biometrics the attorney
    entered stay closed (re-entered if they still stand). The move is in the history."""
    case = case_with_deadlines(lawyer)
    end(case, lawyer)
    browser = browser_of(lawyer)
    page = browser.get(url("detail", case)).content.decode()
    assert '<option value="retained">Retained</option>' in section(page, "stage-form")
    assert "Moving it back reopens the case" in page

    response = move(browser, case, "retained")
    assert messages_of(response) == ["Moved to Retained."]
    case.refresh_from_db()
    assert case.stage == "retained"
    assert statuses(case) == {
        "one_year": ("open", ""),
        "hearing": ("not_applicable", f"{INTAKE_NOTE} Case closed."),
        "biometrics": ("not_applicable", "Case closed."),
    }
    assert (case.next_deadline_date, case.next_deadline_kind) == (ONE_YEAR_DUE, "one_year")
    changes = StageChange.objects.filter(case=case).order_by("pk")
    assert [(c.from_stage, c.to_stage, c.by) for c in changes] == [
        ("retained", "closed", lawyer), ("closed", "retained", lawyer),
    ]
    assert "Closed → Retained by lawyer" in section(response.content.decode(), "history")


def test_a_filed_case_reopened_keeps_its_one_year_deadline_met(lawyer):
    """Filed on 1 June, closed, taken back: the one-year deadline stays met, the EAD dates
    are open again and the first of them is the case's next deadline."""
    case = case_with_deadlines(lawyer, stage="filed", filed_on=FILED)
    assert computed(case)["one_year"] == (ONE_YEAR_DUE, "met")
    end(case, lawyer)
    assert computed(case)["ead_filing"] == (date(2026, 10, 29), "not_applicable")

    case_move_stage(case=case, to_stage="retained", by=lawyer, version=version_of(case))
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (date(2026, 10, 29), "open"),
        "ead_grant": (date(2026, 11, 28), "open"),
    }
    case.refresh_from_db()
    assert case.next_deadline_date == date(2026, 10, 29)


def test_a_declined_case_is_taken_back_to_triaged(lawyer):
    case = case_with_deadlines(lawyer, stage="consultation")
    end(case, lawyer, "declined")
    assert statuses(case)["one_year"] == ("not_applicable", "Case declined.")

    response = move(browser_of(lawyer), case, "triaged")
    assert messages_of(response) == ["Moved to Triaged."]
    case.refresh_from_db()
    assert case.stage == "triaged"
    assert statuses(case)["one_year"] == ("open", "")
    assert statuses(case)["hearing"] == ("not_applicable", f"{INTAKE_NOTE} Case declined.")


def test_closing_and_reopening_again_leaves_no_reason_behind(lawyer):
    case = case_with_deadlines(lawyer)
    for _ in range(2):
        end(case, lawyer)
        case_move_stage(case=case, to_stage="retained", by=lawyer, version=version_of(case))
    assert statuses(case)["one_year"] == ("open", "")
    assert statuses(case)["biometrics"] == ("not_applicable", "Case closed.")


def test_reopening_assesses_the_case_again(lawyer, time_machine):
    """Closed on 10 June with the one-year deadline of 20 July 40 days away (high). The daily
    run leaves a closed case alone; taken back on 10 July, 10 days before, it is critical."""
    case = case_with_deadlines(lawyer, arrival=date(2025, 7, 20))
    Deadline.objects.filter(case=case, computed=False).delete()  # only the one-year counts
    case.refresh_from_db()
    assert case.priority == "high"
    end(case, lawyer)

    time_machine.move_to(datetime(2026, 7, 10, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
                         tick=False)  # fmt: skip
    cases_retriage(today=date(2026, 7, 10))
    case.refresh_from_db()
    assert case.priority == "high"

    case_move_stage(case=case, to_stage="retained", by=lawyer, version=version_of(case))
    case.refresh_from_db()
    assert case.priority == "critical"
    assert case.priority_reasons == ["One-year deadline in 10 days"]


def test_a_filing_recorded_on_a_closed_case_opens_no_deadline(lawyer):
    """The EAD dates a late-recorded filing computes are closed with the case (and open
    again if it is reopened)."""
    case = case_with_deadlines(lawyer)
    end(case, lawyer)
    record_filing(browser_of(lawyer), case, FILED)
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (date(2026, 10, 29), "not_applicable"),
        "ead_grant": (date(2026, 11, 28), "not_applicable"),
    }
    assert not Deadline.objects.filter(case=case, status="open").exists()
    case_move_stage(case=case, to_stage="retained", by=lawyer, version=version_of(case))
    assert computed(case)["ead_filing"] == (date(2026, 10, 29), "open")
