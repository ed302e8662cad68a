"""Correcting a client's contact details and US address from the case page: the model's
validation beside each field, the case version, and a history of who changed what."""

import re

import pytest
from django.urls import reverse

from cases.models import CaseAccess, Client
from cases.views.common import STALE

from ..conftest import browser_of
from ..factories import CaseFactory, member_of

pytestmark = pytest.mark.django_db

FORM = {
    "email": "client0@example.org", "phone": "+16195550100", "preferred_contact": "email",
    "address_line1": "", "address_line2": "", "city": "", "state": "", "postal_code": "",
}  # fmt: skip


@pytest.fixture
def case():
    return CaseFactory(client__email="politov@example.org", client__phone="+16195550100",
                       client__city="San Diego", client__state="CA")  # fmt: skip


def url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


def current(case) -> dict:
    """The form as the case page fills it: what the client's record holds now."""
    client = Client.objects.get(pk=case.client_id)
    case.refresh_from_db()
    return {
        **{name: str(getattr(client, name) or "") for name in FORM},
        "phone": client.phone.as_e164 if client.phone else "",
        "version": case.version,
    }


def save(browser, case, **changes):
    return browser.post(url("contact", case), {**current(case), **changes}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def errors_beside(page: str, field: str) -> list[str]:
    """The error texts crispy shows under the field with this name."""
    match = re.search(rf'<div id="div_id_contact_{field}".*?</div>\s*</div>|'
                      rf'<div id="div_id_contact_{field}".*?(?=<div id="div_id_contact_)',
                      page, re.S)  # fmt: skip
    assert match, f"no field {field}"
    return [re.sub(r"<[^>]+>", "", e).strip()
            for e in re.findall(r'class="invalid-feedback"[^>]*>(.*?)</', match.group(0), re.S)]


def contact_rows(case):
    return list(CaseAccess.objects.filter(case=case, action="contact").order_by("at"))


def test_a_paralegal_corrects_the_phone_and_address_and_the_history_shows_it(paralegal, case):
    browser = browser_of(paralegal)
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="contact-form"' in page
    assert "As given in the intake; not changed since." in page

    response = save(browser, case, phone="+1 (619) 555-0123", address_line1="1450 Fifth Ave",
                    address_line2="Apt 4", postal_code="92101")  # fmt: skip
    assert messages_of(response) == ["Contact details saved."]
    client = Client.objects.get(pk=case.client_id)
    assert client.phone.as_e164 == "+16195550123"
    assert (client.address_line1, client.address_line2, client.postal_code) == (
        "1450 Fifth Ave", "Apt 4", "92101")
    case.refresh_from_db()
    assert case.version == 2

    [row] = contact_rows(case)
    assert row.user == paralegal
    assert row.detail == {"changes": {
        "phone": ["+16195550100", "+16195550123"],
        "address_line1": ["", "1450 Fifth Ave"],
        "address_line2": ["", "Apt 4"],
        "postal_code": ["", "92101"],
    }}  # fmt: skip
    history = response.content.decode()
    history = history[history.index('id="contact-history"'):]
    history = history[:history.index("</section>")]
    assert "paralegal" in history
    assert "Phone: +16195550100 → +16195550123" in history
    assert "Address line 1: (empty) → 1450 Fifth Ave" in history
    assert "City" not in history  # unchanged fields are not listed
    # In the form's order, whatever order the database keeps them in.
    shown = re.findall(r"<li>([^:<]+):", history)
    assert shown == ["Phone", "Address line 1", "Address line 2", "ZIP code"]
    # The page shows the new details in "About the client".
    assert "+1 619-555-0123" in response.content.decode()


def test_saving_unchanged_details_writes_nothing(paralegal, case):
    response = save(browser_of(paralegal), case)
    assert messages_of(response) == ["Nothing changed in the contact details."]
    assert contact_rows(case) == []
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "", "phone": ""}, "email",
     "Give an e-mail address or a phone number: the client must have one way to be reached."),
    ({"phone": "619 555"}, "phone", "Enter a valid phone number"),
    ({"phone": "not a number"}, "phone", "Enter a valid phone number"),
    ({"email": "politov@"}, "email", "Enter a valid email address."),
    ({"email": "", "preferred_contact": "email"}, "email",
     "E-mail is the preferred contact: give the address, or choose another channel."),
    ({"phone": "", "preferred_contact": "whatsapp"}, "phone",
     "A phone channel is the preferred contact: give the number, or choose another channel."),
    ({"preferred_contact": "pigeon"}, "preferred_contact", "Select a valid choice."),
    ({"postal_code": "9210"}, "postal_code", "Enter a US ZIP code"),
    ({"city": "x" * 101}, "city", "Ensure this value has at most 100 characters"),
    ({"postal_code": "1" * 11}, "postal_code", "Ensure this value has at most 10 characters"),
])  # fmt: skip
def test_bad_input_is_refused_beside_its_field_and_nothing_changes(paralegal, case, changes,
                                                                   field, message):  # fmt: skip
    before = current(case)
    response = save(browser_of(paralegal), case, **changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert any(error.startswith(message) for error in errors_beside(page, field)), (
        errors_beside(page, field))
    assert "<details open><summary>Correct the contact details" in page
    assert current(case) == before
    assert contact_rows(case) == []


def test_a_client_reached_by_phone_only_may_lose_the_e_mail(lawyer, case):
    """E-mail or phone: either is enough (the model's constraint)."""
    response = save(browser_of(lawyer), case, email="", preferred_contact="whatsapp")
    assert messages_of(response) == ["Contact details saved."]
    assert Client.objects.get(pk=case.client_id).email == ""
    [row] = contact_rows(case)
    assert row.detail["changes"] == {"email": ["politov@example.org", ""],
                                     "preferred_contact": ["email", "whatsapp"]}  # fmt: skip


def test_a_stale_page_is_refused_and_nothing_changes(paralegal, lawyer, case):
    stale = current(case)
    save(browser_of(lawyer), case, city="Chula Vista")
    response = browser_of(paralegal).post(url("contact", case),
                                          {**stale, "city": "Tijuana"}, follow=True)  # fmt: skip
    assert [m[: len(STALE)] for m in messages_of(response)] == [STALE]
    assert Client.objects.get(pk=case.client_id).city == "Chula Vista"
    assert len(contact_rows(case)) == 1


def test_without_the_permission_the_form_is_not_shown_and_a_post_is_refused(case):
    """An administrator sees the case but does not edit a client's details."""
    boss = member_of("boss", "administrators")
    browser = browser_of(boss)
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="contact-form"' not in page
    assert 'id="contact-history"' in page
    before = current(case)
    response = browser.post(url("contact", case), {**before, "city": "Tijuana"})
    assert response.status_code == 403
    assert current(case) == before
    assert contact_rows(case) == []


def test_signing_in_is_needed(case):
    from django.test import Client as Browser

    response = Browser().post(url("contact", case), {**current(case), "city": "Tijuana"})
    assert response.status_code == 302
    assert Client.objects.get(pk=case.client_id).city == "San Diego"
