"""The preparation questionnaire in a real Chromium on a phone, in Ukrainian: questions that
apply only sometimes open as the client answers, and a yes without an explanation is
caught beside the field."""

import datetime
import secrets
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import PreparationLink, link_token_hash
from intake import prepare_access

from ..factories import (
    AsylumClaimFactory,
    CaseFactory,
    ClientFactory,
    EntryFactory,
    FamilyMemberFactory,
    member_of,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def linked_session(case) -> str:
    """A session holding a live link to `case`, as the second check leaves it
    (intake.prepare_access.bind); its key for the browser's cookie."""
    link = PreparationLink.objects.create(
        case=case, token_hash=link_token_hash(secrets.token_urlsafe(16)),
        created_by=member_of("lawyer", "attorneys"),
        expires_at=timezone.now() + datetime.timedelta(days=14),
        session_nonce=secrets.token_urlsafe(32), verified_at=timezone.now(),
    )  # fmt: skip
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[prepare_access.SESSION_LINK] = link.pk
    session[prepare_access.SESSION_NONCE] = link.session_nonce
    session[prepare_access.SESSION_SEEN] = time.time()
    session.create()
    return session.session_key


def test_a_client_answers_on_a_phone_in_ukrainian(phone, live_server):
    client = ClientFactory(marital_status="married", preferred_language="uk",
                           family_name_native="Олійник", given_names_native="Олександр",
                           family_name="Oliynyk", given_names="Oleksandr", nationality="UA",
                           country_of_birth="UA")  # fmt: skip
    AsylumClaimFactory(client=client)
    case = CaseFactory(client=client, stage="retained")
    EntryFactory(client=client, date=timezone.localdate() - datetime.timedelta(days=60))
    FamilyMemberFactory(client=client, relationship="spouse", given_names="Iryna",
                        family_name="Oliynyk", marital_status="married")  # fmt: skip
    page, log = phone(locale="uk-UA")
    origin = live_server.url
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": linked_session(case), "url": origin},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "uk", "url": origin},
    ])  # fmt: skip

    page.goto(f"{origin}/intake/prepare/questions/")
    assert page.url.endswith("/prepare/questions/about/")
    assert page.input_value("#id_about-given_names_native") == "Олександр"  # pre-filled
    assert page.is_hidden("#id_about-mailing_line1")
    page.check("#id_about-mailing_different")
    assert page.is_visible("#id_about-mailing_line1")

    page.goto(f"{origin}/intake/prepare/questions/family/")
    assert page.input_value("#id_family-0-given_names") == "Iryna"
    assert page.is_visible("#id_family-0-marriage_date")  # a spouse of a married client
    page.select_option("#id_family-0-relationship", "parent")
    assert page.is_hidden("#id_family-0-marriage_date")
    assert page.is_hidden("#id_family-0-a_number")  # Part A.II is for a spouse and children
    page.select_option("#id_family-0-relationship", "spouse")
    assert page.is_visible("#id_family-0-a_number")

    page.goto(f"{origin}/intake/prepare/questions/questions/")
    assert "Інші запитання" in page.inner_text("h1")
    assert page.is_hidden("#id_questions-arrested_abroad_details")
    page.select_option("#id_questions-arrested_abroad", "yes")
    assert page.is_visible("#id_questions-arrested_abroad_details")
    assert page.query_selector("#id_questions-late_filing_explanation") is None  # 60 days ago
    for name in ("organisations", "organisations_continued", "fears_torture",
                 "family_applied_before", "other_country_travel", "other_country_status",
                 "harmed_others", "returned_since_leaving", "us_crimes"):
        page.select_option(f"#id_questions-{name}", "no")
    page.click("form button[value=next].btn-primary")
    page.wait_for_load_state()
    feedback = page.inner_text("#id_questions-arrested_abroad_details ~ .invalid-feedback, "
                               "#error_1_id_questions-arrested_abroad_details")
    assert "Ви відповіли «так»: будь ласка, поясніть." in feedback
    assert page.is_visible("#id_questions-arrested_abroad_details")  # kept open after the post
    # Phone-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert log.foreign(origin) == []
