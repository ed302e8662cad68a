"""Issue 16 item 7 on the staff side: a deadline the firm enters is bounded like the client's
(at most 5 years ahead, nothing before 1990), with the message beside the field, nothing
saved and the audit trail untouched."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.models import CaseAccess

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory
from ..intake_pages import text, the
from .test_deadlines import ARRIVAL, add_deadline, correct_arrival, record_filing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
                         tick=False)  # fmt: skip


@pytest.fixture
def case(lawyer):
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=ARRIVAL)
    AsylumClaimFactory(client=case.client)
    return case

MESSAGE = "Enter a date between 1990-01-01 and 2031-06-10"  # TODAY is 2026-06-10


@pytest.mark.parametrize(("kind", "due_date"), [
    ("interview", "9999-12-31"), ("biometrics", "2031-06-11"), ("other", "1989-12-31"),
    ("other", "0001-01-01"),
])  # fmt: skip
def test_an_impossible_due_date_is_refused_beside_the_field(lawyer, case, kind, due_date):
    audited = CaseAccess.objects.filter(case=case).count()
    response = add_deadline(browser_of(lawyer), case, kind=kind, due_date=due_date)
    assert response.status_code == 400
    (message,) = response.context["deadline_form"].errors["due_date"]
    assert message.startswith(MESSAGE)
    beside = the(response.content.decode(), "div", {"id": "id_due_date_error"})
    assert MESSAGE in text(beside)
    assert not case.deadlines.filter(computed=False).exists()
    assert CaseAccess.objects.filter(case=case).exclude(action="view").count() == audited


def test_the_last_day_of_the_bound_is_accepted(lawyer, case):
    response = add_deadline(browser_of(lawyer), case, kind="biometrics", due_date="2031-06-10")
    assert response.status_code == 302
    assert case.deadlines.get(computed=False).due_date.isoformat() == "2031-06-10"


def test_a_filing_date_before_1990_is_refused(lawyer, case):
    response = record_filing(browser_of(lawyer), case, date(1989, 12, 31))
    assert response.status_code == 400
    assert "The filing date cannot be before 1990-01-01" in response.content.decode()
    case.client.claim.refresh_from_db()
    assert case.client.claim.filed_on is None


def test_an_arrival_corrected_to_year_1_is_refused(lawyer, case):
    entry = case.client.entries.get()
    response = correct_arrival(browser_of(lawyer), case, entry, date(1, 1, 1))
    assert response.status_code == 400
    assert "An arrival cannot be before 1900-01-01" in response.content.decode()
    entry.refresh_from_db()
    assert entry.date == ARRIVAL
