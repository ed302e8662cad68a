"""What the case page puts first: deadlines past due, flagged in words with a summary at the
top, and what triage says now beside an attorney's override of the level."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.models import Deadline
from cases.timezones import today

from ..conftest import browser_of
from ..factories import CaseFactory, EntryFactory
from .test_case_page import section

pytestmark = pytest.mark.django_db


def page_of(user, case) -> str:
    return browser_of(user).get(reverse("cases:detail", args=[case.pk])).content.decode()


def deadline_lines(page: str) -> dict[str, str]:
    """Each deadline's line in the list, by its kind's label."""
    lines = section(page, "deadlines").split('<li class="mb-2 deadline')[1:]
    return {line.split("<strong>")[1].split("</strong>")[0]: line for line in lines}


def test_open_deadlines_past_their_date_are_flagged_and_counted(lawyer):
    case = CaseFactory(assigned_attorney=lawyer, stage="retained")
    on = today()
    Deadline.objects.create(case=case, kind="biometrics", due_date=on - timedelta(days=3))
    Deadline.objects.create(case=case, kind="evidence_request", due_date=on - timedelta(days=1))
    Deadline.objects.create(case=case, kind="interview", due_date=on - timedelta(days=9),
                            status="met")  # fmt: skip
    Deadline.objects.create(case=case, kind="other", due_date=on)
    page = page_of(lawyer, case)

    summary = page[page.index('id="past-due"') :]
    summary = summary[: summary.index("</p>")]
    assert ">2 deadlines past due</a>" in summary
    # Most overdue first; the met one and the one due today are no business of the summary.
    assert summary.index("Biometrics") < summary.index("Evidence request response")
    assert "overdue by 3 days" in summary and "overdue by 1 day;" not in summary
    assert "Interview" not in summary and "Other" not in summary
    assert page.index('id="past-due"') < page.index('id="about-heading"')

    lines = deadline_lines(page)
    assert "Overdue by 3 days" in lines["Biometrics"]
    assert "Overdue by 1 day<" in lines["Evidence request response"]
    assert "Overdue" not in lines["Interview"]  # met: done, however late
    assert "Overdue" not in lines["Other"]  # due today is not past due yet


def test_no_summary_when_nothing_is_past_due(lawyer):
    case = CaseFactory(assigned_attorney=lawyer)
    Deadline.objects.create(case=case, kind="biometrics", due_date=today() + timedelta(days=2))
    page = page_of(lawyer, case)
    assert 'id="past-due"' not in page
    assert "Overdue" not in page


def test_an_ended_cases_closed_deadlines_are_not_flagged(lawyer):
    """A declined case's deadlines no longer apply: nothing to chase, nothing flagged."""
    case = CaseFactory(stage="declined")
    Deadline.objects.create(case=case, kind="biometrics", due_date=today() - timedelta(days=4),
                            status="not_applicable", note="Case declined.")  # fmt: skip
    assert 'id="past-due"' not in page_of(lawyer, case)


def test_an_override_shows_what_triage_says_now_and_follows_new_facts(lawyer):
    """The attorney holds the level at normal; a judge's deadline in 5 days entered later
    leaves the chosen level alone, and the page says what triage now says, and why."""
    case = CaseFactory(assigned_attorney=lawyer, stage="retained")
    EntryFactory(client=case.client, date=today() - timedelta(days=200))
    browser = browser_of(lawyer)
    case.refresh_from_db()
    browser.post(reverse("cases:priority", args=[case.pk]), {
        "level": "normal", "note": "Hearing vacated, notice on file", "version": case.version,
    })  # fmt: skip
    page = page_of(lawyer, case)
    assert "Triage now says: <strong>Normal</strong> — no urgent reason found" in page

    due = today() + timedelta(days=5)
    response = browser.post(reverse("cases:deadline_add", args=[case.pk]), {
        "kind": "court_filing", "due_date": due.isoformat(), "status": "open",
    })  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.priority, case.assessed_priority) == ("normal", "critical")
    page = page_of(lawyer, case)
    assert 'id="level">Normal<' in page
    assert "(Hearing vacated, notice on file)" in page
    now_says = page[page.index('id="triage-now"') :]
    now_says = now_says[: now_says.index("</p>")]
    assert "Triage now says: <strong>Critical</strong> — " in now_says
    assert case.priority_reasons == ["Judge's filing deadline in 5 days"]
    assert "Judge&#x27;s filing deadline in 5 days" in now_says
    assert 'id="reasons"' not in page  # the reasons are said once, beside the override


def test_without_an_override_the_reasons_are_listed_under_the_level(lawyer):
    case = CaseFactory(assigned_attorney=lawyer, stage="retained")
    EntryFactory(client=case.client, date=today() - timedelta(days=10))
    page = page_of(lawyer, case)
    assert 'id="triage-now"' not in page
    assert "Arrived 10 days ago" in section(page, "reasons")
