"""Moving a case to "filed" on the case page asks for the filing date and type in the same
form: the move and the filing are recorded together or not at all, and the one-year
deadline, the EAD dates and triage follow the filing."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError

from cases import services
from cases.models import StageChange
from cases.services import case_move_stage

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory
from .test_case_page import NOT_ALLOWED, STALE, messages_of, section
from .test_deadlines import (  # noqa: F401
    ARRIVAL,
    FILED,
    ONE_YEAR_DUE,
    TODAY,
    _today,
    computed,
    url,
    version_of,
)

pytestmark = pytest.mark.django_db

# TODAY is 10 June 2026 (tests/cases/test_deadlines.py, whose _today fixture sets the clock).
DATE_MISSING = "Enter the date the application was filed"
TYPE_MISSING = "Choose affirmative (USCIS) or defensive (court)."
FUTURE = "The filing date cannot be in the future."


@pytest.fixture
def case(lawyer):
    """Being prepared: arrived 2 March 2026, the claim not filed yet."""
    case = CaseFactory(assigned_attorney=lawyer, stage="preparing")
    EntryFactory(client=case.client, date=ARRIVAL)
    AsylumClaimFactory(client=case.client)
    return case


def move(browser, case, to_stage="filed", filed_on=FILED, filing_type="affirmative",
         version=None):  # fmt: skip
    return browser.post(url("stage", case), {
        "to_stage": to_stage,
        "filed_on": filed_on.isoformat() if filed_on else "",
        "filing_type": filing_type,
        "version": version or version_of(case),
    })  # fmt: skip


def nothing_saved(case) -> None:
    """Still being prepared, on its first version, with no history and no filing."""
    case.refresh_from_db()
    case.client.claim.refresh_from_db()
    assert (case.stage, case.version) == ("preparing", 1)
    assert not StageChange.objects.filter(case=case).exists()
    assert (case.client.claim.filed_on, case.client.claim.filing_type) == (None, "")
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_the_move_to_filed_records_the_filing_and_its_deadlines(lawyer, case):
    """Filed on 1 June, affirmative: the one-year deadline is met, the EAD dates are 150 and
    180 days on, and the move is in the stage history; one save, one version."""
    browser = browser_of(lawyer)
    response = move(browser, case)
    assert response.status_code == 302
    case.refresh_from_db()
    claim = case.client.claim
    claim.refresh_from_db()
    assert case.stage == "filed"
    assert case.version == 2
    assert (claim.filed_on, claim.filing_type) == (FILED, "affirmative")
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (date(2026, 10, 29), "open"),
        "ead_grant": (date(2026, 11, 28), "open"),
    }
    assert case.next_deadline_date == date(2026, 10, 29)
    change = StageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.by) == ("preparing", "filed", lawyer)
    page = browser.get(url("detail", case)).content.decode()
    assert "Moved to Filed." in page
    assert "Preparing → Filed by lawyer" in section(page, "history")


def test_the_filing_moves_the_triage_too(lawyer):
    """One-year deadline on Monday 15 June, 5 days away: critical until the filing of 9 June
    is recorded with the move, then nothing is urgent."""
    case = CaseFactory(assigned_attorney=lawyer, stage="preparing")
    EntryFactory(client=case.client, date=date(2025, 6, 15))
    AsylumClaimFactory(client=case.client)
    case.refresh_from_db()
    assert case.priority == "critical"
    assert "One-year deadline in 5 days" in case.priority_reasons

    assert move(browser_of(lawyer), case, filed_on=date(2026, 6, 9)).status_code == 302
    case.refresh_from_db()
    assert (case.priority, case.priority_reasons) == ("normal", [])
    assert computed(case)["one_year"] == (date(2026, 6, 15), "met")


@pytest.mark.parametrize(("filed_on", "filing_type", "field", "message"), [
    (None, "affirmative", "filed_on", DATE_MISSING),
    (FILED, "", "filing_type", TYPE_MISSING),
    (TODAY + timedelta(days=1), "defensive", "filed_on", FUTURE),
    (ARRIVAL - timedelta(days=1), "defensive", "filed_on",
     "This is before the client first entered the United States (2026-03-02)"),
])  # fmt: skip
def test_a_move_to_filed_without_a_good_filing_is_refused_at_the_field(
    lawyer, case, filed_on, filing_type, field, message
):
    """The page comes back with the message beside the field; nothing is saved, not even the
    move."""
    response = move(browser_of(lawyer), case, filed_on=filed_on, filing_type=filing_type)
    assert response.status_code == 400
    form = response.context["stage_form"]
    assert [str(e) for e in form.errors[field]][0].startswith(message)
    stage_form = section(response.content.decode(), "stage-form")
    assert message in stage_form.replace("&#x27;", "'")
    nothing_saved(case)


def test_filing_after_the_first_entry_but_before_the_last_is_accepted(lawyer, case):
    """Entered in January 2025, left, came back on 2 March 2026: a filing of June 2025 was
    made in the United States. The one-year deadline still runs from the last arrival."""
    EntryFactory(client=case.client, date=date(2025, 1, 10))
    assert move(browser_of(lawyer), case, filed_on=date(2025, 6, 2)).status_code == 302
    case.refresh_from_db()
    assert case.stage == "filed"
    assert computed(case)["one_year"] == (ONE_YEAR_DUE, "met")


def test_a_filing_date_given_with_another_stage_is_not_recorded(lawyer, case):
    """The fields are on the form for every choice (no JavaScript needed); only "Filed"
    reads them."""
    assert move(browser_of(lawyer), case, to_stage="closed").status_code == 302
    case.refresh_from_db()
    case.client.claim.refresh_from_db()
    assert case.stage == "closed"
    assert case.client.claim.filed_on is None


def test_the_form_asks_for_the_filing_only_where_filed_can_follow(lawyer, case):
    """Being prepared: date and type in the stage form, with the hint; a new case: neither.
    The filing form further down has its own ids."""
    browser = browser_of(lawyer)
    page = browser.get(url("detail", case)).content.decode()
    stage_form = section(page, "stage-form")
    assert 'name="filed_on"' in stage_form and 'name="filing_type"' in stage_form
    assert 'Only for "Filed".' in stage_form
    assert page.count('id="id_filed_on"') == 1
    assert 'id="id_filing_filed_on"' in page

    new = CaseFactory(assigned_attorney=lawyer)
    stage_form = section(browser.get(url("detail", new)).content.decode(), "stage-form")
    assert 'name="to_stage"' in stage_form
    assert 'name="filed_on"' not in stage_form


def test_a_filing_recorded_before_is_offered_in_the_stage_form(lawyer, case):
    claim = case.client.claim
    claim.filed_on, claim.filing_type = FILED, "defensive"
    claim.save()
    page = browser_of(lawyer).get(url("detail", case)).content.decode()
    stage_form = section(page, "stage-form")
    assert 'value="2026-06-01"' in stage_form
    assert '<option value="defensive" selected>' in stage_form


def test_a_paralegal_cannot_file_the_application(paralegal, case):
    """Recording the filing on the claim is an attorney's (as on the filing form): the move
    and the filing are both refused."""
    browser = browser_of(paralegal)
    assert move(browser, case).status_code == 302
    assert messages_of(browser.get(url("detail", case))) == [NOT_ALLOWED]
    nothing_saved(case)


def test_a_stale_move_records_no_filing(lawyer, case):
    """Another tab saved first: neither the move nor the filing is applied."""
    browser = browser_of(lawyer)
    stale = version_of(case)
    response = browser.post(url("priority", case), {
        "level": "critical", "note": "Detained yesterday", "version": stale,
    }, follow=True)  # fmt: skip
    assert messages_of(response) == ["Triage level saved."]
    response = browser.post(url("stage", case), {
        "to_stage": "filed", "filed_on": FILED.isoformat(), "filing_type": "affirmative",
        "version": stale,
    }, follow=True)  # fmt: skip
    assert len(messages_of(response)) == 1
    assert messages_of(response)[0].startswith(STALE)
    case.refresh_from_db()
    case.client.claim.refresh_from_db()
    assert (case.stage, case.version) == ("preparing", 2)
    assert case.client.claim.filed_on is None
    assert not StageChange.objects.filter(case=case).exists()
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_no_stage_history_without_the_filing(lawyer, case, monkeypatch):
    """If the deadlines cannot follow the filing, the move is undone with it."""

    def fail(*, case):
        raise IntegrityError("deadlines could not be written")

    monkeypatch.setattr(services, "deadlines_sync_computed", fail)
    with pytest.raises(IntegrityError):
        case_move_stage(case=case, to_stage="filed", by=lawyer, version=1, filed_on=FILED,
                        filing_type="affirmative")  # fmt: skip
    nothing_saved(case)


def test_the_service_refuses_a_move_to_filed_without_the_filing(lawyer, case):
    with pytest.raises(ValueError, match="needs the filing date and type"):
        case_move_stage(case=case, to_stage="filed", by=lawyer, version=1)
    nothing_saved(case)
