"""Declining a case: an attorney's decision, with a reason kept in the stage history and a
confirmation; anything less is refused beside the field and changes nothing. The service
refuses a decline without a reason too, whatever calls it."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import CaseAccess, StageChange
from cases.services import case_move_stage

from ..conftest import browser_of
from ..factories import CaseFactory, EntryFactory
from .test_case_page import NOT_ALLOWED, messages_of, section

pytestmark = pytest.mark.django_db

REASON = "No viable claim under the grounds; referred to the legal aid clinic on Main St."
NEEDS_REASON = "Say why the firm declines the case: the reason is kept in the stage history."
NEEDS_CONFIRM = "Tick this box to confirm the firm declines the case."


@pytest.fixture
def case():
    case = CaseFactory(stage="triaged")
    EntryFactory(client=case.client)
    return case


def decline(browser, case, **data):
    case.refresh_from_db()
    return browser.post(reverse("cases:stage", args=[case.pk]), {
        "to_stage": "declined", "version": case.version, **data,
    })  # fmt: skip


def error_of(page: str, field: str) -> str:
    """The error text crispy renders beside a field (its invalid-feedback block)."""
    start = page.index(f'id="id_{field}_error"')
    return page[start : page.index("</div>", start)]


def nothing_changed(case) -> None:
    case.refresh_from_db()
    assert (case.stage, case.version) == ("triaged", 1)
    assert not StageChange.objects.filter(case=case).exists()
    assert not CaseAccess.objects.filter(case=case, action="stage").exists()


def test_an_attorney_declines_with_a_reason_and_the_history_shows_it(lawyer, case):
    browser = browser_of(lawyer)
    response = decline(browser, case, reason=f"  {REASON}  ", confirm_decline="on")
    assert response.status_code == 302
    page = browser.get(response["Location"])
    assert messages_of(page) == ["Moved to Declined."]
    case.refresh_from_db()
    assert case.stage == "declined"
    change = StageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.by, change.reason) == (
        "triaged", "declined", lawyer, REASON,
    )  # fmt: skip
    access = CaseAccess.objects.get(case=case, action="stage")
    assert (access.user, access.detail) == (lawyer, {"from": "triaged", "to": "declined"})
    history = section(page.content.decode(), "history")
    assert "Triaged → Declined by lawyer" in history
    assert f"Reason: {REASON}" in history


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_a_decline_without_a_reason_is_refused_beside_the_field(lawyer, case, reason):
    response = decline(browser_of(lawyer), case, reason=reason, confirm_decline="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert NEEDS_REASON in error_of(page, "reason")
    assert 'id="id_confirm_decline_error"' not in page
    nothing_changed(case)


def test_a_decline_without_the_confirmation_is_refused_beside_the_box(lawyer, case):
    response = decline(browser_of(lawyer), case, reason=REASON)
    assert response.status_code == 400
    page = response.content.decode()
    assert NEEDS_CONFIRM in error_of(page, "confirm_decline")
    assert 'id="id_reason_error"' not in page
    assert REASON in section(page, "stage-form")  # what was typed is kept for the retry
    nothing_changed(case)


def test_a_reason_longer_than_the_bound_is_refused(lawyer, case):
    response = decline(browser_of(lawyer), case, reason="x" * 2001, confirm_decline="on")
    assert response.status_code == 400
    assert "at most 2000 characters" in error_of(response.content.decode(), "reason")
    nothing_changed(case)


def test_a_reason_given_with_another_move_is_kept(lawyer, case):
    """Any move may say why; only a decline must."""
    browser = browser_of(lawyer)
    response = browser.post(reverse("cases:stage", args=[case.pk]), {
        "to_stage": "consultation", "version": 1, "reason": "Client asked for Friday.",
    })  # fmt: skip
    assert response.status_code == 302
    assert StageChange.objects.get(case=case).reason == "Client asked for Friday."


@pytest.mark.parametrize("from_stage", ["new", "triaged", "consultation"])
def test_a_paralegal_cannot_decline(paralegal, case, from_stage):
    """Declining is an attorney's: not offered to a paralegal, and refused if posted."""
    case.stage = from_stage
    case.save()
    browser = browser_of(paralegal)
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="declined"' not in page
    assert 'name="confirm_decline"' not in page
    response = decline(browser, case, reason=REASON, confirm_decline="on")
    assert response.status_code == 302
    assert messages_of(browser.get(response["Location"])) == [NOT_ALLOWED]
    case.refresh_from_db()
    assert (case.stage, case.version) == (from_stage, 1)
    assert not StageChange.objects.filter(case=case).exists()


def test_the_service_refuses_a_decline_without_a_reason(lawyer, case):
    """Bulk moves, the admin or any later path call the same service: no silent decline."""
    with pytest.raises(services.ReasonRequired, match="only with a reason"):
        case_move_stage(case=case, to_stage="declined", by=lawyer, version=1, reason="  ")
    with pytest.raises(services.NotAllowed):  # callers that catch NotAllowed catch it too
        case_move_stage(case=case, to_stage="declined", by=lawyer, version=1)
    with pytest.raises(ValueError, match="at most 2000"):
        case_move_stage(case=case, to_stage="declined", by=lawyer, version=1,
                        reason="x" * 2001)  # fmt: skip
    nothing_changed(case)


def test_the_services_refusal_is_shown_as_its_message(lawyer, case, monkeypatch):
    """Should a decline reach the service without a reason (a form changed one day), the
    page says what is missing instead of a bare refusal, and nothing changes."""
    real = services.case_move_stage
    monkeypatch.setattr(services, "case_move_stage",
                        lambda **kwargs: real(**{**kwargs, "reason": ""}))  # fmt: skip
    browser = browser_of(lawyer)
    response = decline(browser, case, reason=REASON, confirm_decline="on")
    assert messages_of(browser.get(response["Location"])) == [
        "A case is declined only with a reason: say why."
    ]
    nothing_changed(case)


def test_a_declined_case_is_reopened_by_an_attorney(lawyer, paralegal, case):
    """Declined by mistake: the attorney takes it back to triaged from the case page; a
    paralegal is told it is an attorney's decision and given no form."""
    browser = browser_of(lawyer)
    decline(browser, case, reason=REASON, confirm_decline="on")
    page = browser_of(paralegal).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="stage-form"' not in page
    assert "Moving this case to Triaged is an attorney's decision." in page

    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<option value="triaged">Triaged</option>' in section(page, "stage-form")
    case.refresh_from_db()
    response = browser.post(reverse("cases:stage", args=[case.pk]), {
        "to_stage": "triaged", "version": case.version, "reason": "The client found the notice.",
    })  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "triaged"
    reasons = list(StageChange.objects.filter(case=case).order_by("pk")
                   .values_list("to_stage", "reason"))  # fmt: skip
    assert reasons == [("declined", REASON), ("triaged", "The client found the notice.")]
