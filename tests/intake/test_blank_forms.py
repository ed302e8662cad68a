"""Blank wizard forms: the same for every client in a language, never holding one client's
answers, and listing the courts as they are in the admin at that moment."""

import re

import pytest
from django.utils import translation

from cases.models import Court
from intake import forms as intake_forms

from ..intake_data import answers, walk
from ..intake_pages import rendered

pytestmark = pytest.mark.django_db


def walk_to_arrival(client, steps):
    """Consent and "about you" answered; the arrival step not yet seen."""
    walk(client, {step: steps[step] for step in ("consent", "about")})

SHARED_FORMS = {
    "consent": intake_forms.ConsentForm,
    "about": intake_forms.AboutYouForm,
    "entries-0": intake_forms.EntryForm,
    "status": intake_forms.ArrivalForm,
    "family-0": intake_forms.FamilyMemberForm,
    "claim": intake_forms.ClaimForm,
    "documents": intake_forms.DocumentUploadForm,
}


@pytest.mark.parametrize("language", ["en", "ru", "uk", "es"])
@pytest.mark.parametrize("prefix", SHARED_FORMS)
def test_a_blank_form_is_the_same_for_every_client_in_a_language(prefix, language):
    def blank():
        return SHARED_FORMS[prefix](prefix=prefix, initial={"preferred_language": language})

    with translation.override(language):
        first, second = rendered(blank()), rendered(blank())
    assert first == second
    assert 'name="' in first


def test_a_blank_arrival_form_reads_its_court_list_in_one_query(django_assert_num_queries):
    with translation.override("es"):
        with django_assert_num_queries(1):
            first = rendered(intake_forms.ArrivalForm(prefix="status"))
        again = rendered(intake_forms.ArrivalForm(prefix="status"))
    assert again == first and "San Diego" in again


def test_languages_and_initial_values_are_kept_apart():
    with translation.override("en"):
        english = rendered(intake_forms.AboutYouForm(prefix="about"))
    with translation.override("ru"):
        russian = rendered(intake_forms.AboutYouForm(prefix="about"))
        spanish_chosen = rendered(intake_forms.AboutYouForm(
            prefix="about", initial={"preferred_language": "es"}))
    assert "Family name" in english and "Family name" not in russian
    assert '<option value="es" selected>' in spanish_chosen
    assert '<option value="es" selected>' not in russian


def test_answers_are_never_kept_for_the_next_client(client):
    """One client's answers on the page; the next client's blank page shows none of them."""
    walk(client, answers())
    mine = client.get("/intake/step/about/").content.decode()
    assert "Politov" in mine
    client.cookies.clear()
    blank = client.get("/intake/step/about/", follow=True).content.decode()
    assert "Politov" not in blank


def test_the_resume_form_never_shows_another_clients_address():
    first = rendered(intake_forms.ResumeLinkForm(initial={"email": "first@example.org"}))
    second = rendered(intake_forms.ResumeLinkForm(initial={"email": "second@example.org"}))
    assert "first@example.org" in first
    assert "second@example.org" in second and "first@example.org" not in second


def test_a_court_saved_in_the_admin_shows_on_the_blank_arrival_step_at_once(client):
    walk_to_arrival(client, answers())
    assert "Nowhere Springs Immigration Court" not in client.get("/intake/step/arrival/")\
        .content.decode()
    court = Court.objects.create(name="Nowhere Springs Immigration Court", city="Nowhere",
                                 state="CA", time_zone="America/Los_Angeles")
    assert court.name in client.get("/intake/step/arrival/").content.decode()
    court.active = False
    court.save()
    assert court.name not in client.get("/intake/step/arrival/").content.decode()


# An input, select or textarea tag with the `required` attribute (not the label's class
# "requiredField" that marks the question for the eye).
REQUIRED_INPUT = re.compile(r"<(?:input|select|textarea)\b[^>]*\srequired[\s>]")


def test_a_row_of_a_formset_is_not_mistaken_for_the_same_form_alone():
    """In a formset the inputs carry no required attribute (rows may be removed)."""
    alone = rendered(intake_forms.EntryForm(prefix="entries-0"))
    row = intake_forms.EntryFormSet(prefix="entries").forms[0]
    assert REQUIRED_INPUT.search(alone)
    assert not REQUIRED_INPUT.search(rendered(row))


def test_a_court_closed_while_its_page_is_open_is_refused_with_a_message_not_an_error(client):
    """A page shown before a court was closed still lists it; choosing it is checked against
    the database and refused with a message."""
    steps = answers()
    walk_to_arrival(client, steps)
    court = Court.objects.get(pk=steps["arrival"]["status-hearing_court"])
    assert court.name in client.get("/intake/step/arrival/").content.decode()
    Court.objects.filter(pk=court.pk).update(active=False)  # closed while the page is open
    response = client.post("/intake/step/arrival/", {**steps["arrival"], "action": "next"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
