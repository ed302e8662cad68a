"""The questions the asylum rules need: asked only when they apply, checked with a message
beside the field, and carried into the case, its deadlines and its triage."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from cases.models import Case, Deadline
from intake.models import IntakeDraft

from ..intake_data import answers, walk
from .test_bad_input import post_step, start

pytestmark = pytest.mark.django_db

ARRIVAL = "2026-03-02"  # the one entry of intake_data
TODAY = date.today()


def errors_of(response, form, name) -> list[str]:
    built = response.context["forms"][form]
    return [str(e) for e in built.errors.get(name, [])]


def submit(client, **overrides) -> Case:
    walk(client, answers(**overrides))
    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/intake/done/"
    return Case.objects.get()


@pytest.mark.parametrize(
    ("answers_given", "field", "message"),
    [
        ({"status-left_country_on": "2026-04-01"}, "left_country_on",
         "This is after your last arrival in the US"),
        ({"status-left_country_on": "1980-01-01"}, "left_country_on",
         "This date is before your date of birth."),
        ({"status-status_ends_on": "2026-01-01"}, "status_ends_on",
         "This is before your last arrival in the US"),
        ({"status-status_ends_on": "2099-01-01"}, "status_ends_on",
         "This date is too far ahead. Please check the year."),
        ({"status-prior_asylum_application": "on", "status-prior_asylum_outcome": "pending_uscis",
          "status-prior_asylum_filed_on": (TODAY + timedelta(days=3)).isoformat()},
         "prior_asylum_filed_on", "This date is in the future. Please check it."),
        ({"status-prior_asylum_application": "on", "status-prior_asylum_outcome": "pending_uscis"},
         "prior_asylum_filed_on", "Please give the date it was filed, even approximately."),
        ({"status-prior_asylum_application": "on", "status-prior_asylum_outcome": "denied",
          "status-prior_asylum_filed_on": "2025-01-01"},
         "prior_asylum_filed_on", "This is before you first arrived in the US"),
        ({"status-missed_hearing": "on"}, "missed_hearing_on",
         "Please give the date of the hearing you missed."),
        ({"status-missed_hearing": "on",
          "status-missed_hearing_on": (TODAY + timedelta(days=3)).isoformat()},
         "missed_hearing_on", "This date is in the future. Please check it."),
        ({"status-ice_check_ins": "on"}, "next_ice_check_in",
         "Please give the date of your next check-in."),
        ({"status-next_hearing_date": "9999-12-31"}, "next_hearing_date",
         "This date is too far ahead. Please check the year."),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_shown_beside_its_field_and_nothing_moves_on(
    client, answers_given, field, message
):
    steps = start(client, "arrival")
    response = post_step(client, "arrival", {**steps["arrival"], **answers_given})
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response, "status", field))
    assert not Case.objects.exists()


def test_the_messages_are_in_the_clients_language(client):
    steps = start(client, "arrival")
    with translation.override("ru"):
        response = client.post("/intake/step/arrival/", {
            **steps["arrival"], "status-left_country_on": "2026-04-01", "action": "next",
        }, HTTP_ACCEPT_LANGUAGE="ru")  # fmt: skip
    [error] = errors_of(response, "status", "left_country_on")
    assert "This is after" not in error and any("а" <= c <= "я" for c in error.lower())


def test_a_missed_hearing_is_a_deadline_to_reopen_and_makes_the_case_critical(client):
    """A past hearing date is allowed for a missed hearing: the motion to reopen an order in
    absentia is due 180 days later (INA 240(b)(5)(C)(i))."""
    missed = TODAY - timedelta(days=20)
    case = submit(client, arrival={"status-missed_hearing": "on",
                                   "status-missed_hearing_on": missed.isoformat()})
    deadline = Deadline.objects.get(case=case, kind="missed_hearing")
    assert deadline.due_date == missed + timedelta(days=180)
    assert case.priority == "critical"
    assert any(r.startswith("Missed hearing: removal order likely; motion to reopen by "
                            f"{missed + timedelta(days=180):%Y-%m-%d}")
               for r in case.priority_reasons)  # fmt: skip


def test_an_earlier_application_still_pending_is_the_cases_filing(client):
    """Filed with USCIS before the firm: the one-year deadline is met by it and the EAD
    dates run from it; the case is not critical for a one-year deadline."""
    case = submit(client, arrival={
        "status-prior_asylum_application": "on", "status-prior_asylum_outcome": "pending_uscis",
        "status-prior_asylum_filed_on": "2026-04-10",
    })  # fmt: skip
    claim = case.client.claim
    assert (claim.filed_on, claim.filing_type) == (date(2026, 4, 10), "affirmative")
    kinds = {d.kind: d.status for d in case.deadlines.filter(computed=True)}
    assert kinds == {"one_year": "met", "ead_filing": "open", "ead_grant": "open"}
    assert not any("One-year" in r for r in case.priority_reasons)


def test_a_denied_earlier_application_is_a_triage_reason_not_a_filing(client):
    case = submit(client, arrival={
        "status-prior_asylum_application": "on", "status-prior_asylum_outcome": "denied",
        "status-prior_asylum_filed_on": "2026-04-10",
    })  # fmt: skip
    assert case.client.claim.filed_on is None
    assert "Earlier asylum application denied" in case.priority_reasons


def test_parole_end_and_ice_check_in_reach_the_case(client):
    ends, check_in = TODAY + timedelta(days=30), TODAY + timedelta(days=6)
    case = submit(client, arrival={
        "status-status_ends_on": ends.isoformat(), "status-ice_check_ins": "on",
        "status-next_ice_check_in": check_in.isoformat(), "status-left_country_on": "2026-02-01",
        "status-returned_since_leaving": "on", "status-prior_removal_order": "on",
    })  # fmt: skip
    person = case.client
    assert (person.status_ends_on, person.left_country_on) == (ends, date(2026, 2, 1))
    assert person.returned_since_leaving and person.prior_removal_order
    assert Deadline.objects.get(case=case, kind="ice_check_in").due_date == check_in
    assert {"Parole ends in 30 days", "ICE check-in in 6 days",
            "Prior removal order"} <= set(case.priority_reasons)  # fmt: skip


def test_answers_to_questions_that_do_not_apply_are_dropped(client):
    """A parole end date left on the page is not kept for a visitor; nor a check-in date
    with the box unticked; nor the notice's details without a notice."""
    case = submit(
        client,
        arrival={"status-current_status": "visitor",
                 "status-status_ends_on": (TODAY + timedelta(days=30)).isoformat(),
                 "status-next_ice_check_in": (TODAY + timedelta(days=5)).isoformat()},
        claim={"claim-mobilisation_notice": "", "claim-notice_received_on": "2022-09-25",
               "claim-notice_served": "in_person"},
    )  # fmt: skip
    person = case.client
    assert person.status_ends_on is None and person.next_ice_check_in is None
    assert person.claim.notice_received_on is None and person.claim.notice_served == ""
    assert not Deadline.objects.filter(case=case, kind="ice_check_in").exists()


def test_the_draft_and_military_record_reach_the_claim_and_triage(client):
    case = submit(client, claim={
        "claim-notice_received_on": "2022-09-25", "claim-notice_served": "relatives",
        "claim-prior_military_service": "on", "claim-service_type": "conscript",
        "claim-service_from": "2010-05-01", "claim-service_to": "2011-05-01",
        "claim-military_specialty": "Driver", "claim-reserve_category": "first",
        "claim-conscientious_objector": "on", "claim-objection_this_war": "on",
        "claim-criminal_case_or_wanted": "on", "claim-relatives_approached": "on",
    })  # fmt: skip
    claim = case.client.claim
    assert (claim.notice_received_on, claim.notice_served) == (date(2022, 9, 25), "relatives")
    assert (claim.service_type, claim.reserve_category) == ("conscript", "first")
    assert claim.objection_this_war and not claim.objection_religious
    assert claim.criminal_case_or_wanted and claim.relatives_approached
    assert "Criminal case or wanted list at home" in case.priority_reasons


def test_service_that_ends_before_it_begins_is_refused(client):
    steps = start(client, "claim")
    response = post_step(client, "claim", {
        **steps["claim"], "claim-prior_military_service": "on",
        "claim-service_from": "2011-05-01", "claim-service_to": "2010-05-01",
    })  # fmt: skip
    assert errors_of(response, "military", "service_to") == [
        "This is before the start of your service."
    ]


def test_a_spouse_needs_a_married_client(client):
    steps = start(client, "family")
    post_step(client, "about", {**steps["about"], "about-marital_status": "divorced"})
    response = post_step(client, "family", steps["family"])
    assert response.status_code == 200
    [error] = response.context["forms"]["family"].forms[0].errors["relationship"]
    assert error.startswith("You said you are not married.")


@pytest.mark.parametrize(
    ("relationship", "field", "when", "message"),
    [
        ("stepchild", "parent_marriage_date", "2030-04-01", "This date is in the future."),
        ("stepchild", "parent_marriage_date", "2024-04-01",
         "You married their parent after this child turned 18"),
        ("adopted_child", "adoption_date", "2022-04-02",
         "The adoption was after this child turned 16"),
    ],
)  # fmt: skip
def test_a_stepchild_or_adopted_child_too_old_at_the_date_is_refused(
    client, relationship, field, when, message
):
    steps = start(client, "family")
    response = post_step(client, "family", {
        **steps["family"], "family-0-relationship": relationship,
        "family-0-date_of_birth": "2006-04-01", "family-0-marital_status": "single",
        f"family-0-{field}": when,
    })  # fmt: skip
    assert response.status_code == 200
    errors = [str(e) for e in response.context["forms"]["family"].forms[0].errors[field]]
    assert any(e.startswith(message) for e in errors), errors


def test_a_child_is_asked_about_a_parent_in_the_us_and_must_answer(client):
    steps = start(client, "arrival")
    post_step(client, "about", {**steps["about"], "about-date_of_birth": "2011-03-01",
                                "about-marital_status": "single"})  # fmt: skip
    response = post_step(client, "arrival", steps["arrival"])
    assert response.status_code == 200
    assert errors_of(response, "status", "parent_or_guardian_in_us") == [
        "Please answer yes or no."
    ]
    response = post_step(client, "arrival", {**steps["arrival"],
                                             "status-parent_or_guardian_in_us": "yes"})
    assert response.status_code == 302
    assert IntakeDraft.objects.get().data["arrival"]["status-parent_or_guardian_in_us"] == ["yes"]
