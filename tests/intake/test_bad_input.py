"""Bad input on the public intake: a clear message next to the field, never a 500."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from cases.models import Case, Client
from intake.models import IntakeDraft

from ..documents import pdf_bytes
from ..intake_data import answers, walk
from ..intake_pages import text, the

pytestmark = pytest.mark.django_db

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def post_step(client, slug, data):
    return client.post(f"/intake/step/{slug}/", {**data, "action": "next"})


def start(client, upto):
    steps = answers()
    walk(client, {k: steps[k] for k in list(steps)[: list(steps).index(upto)]})
    return steps


def field_errors(response, prefix, name):
    forms = response.context["forms"]
    form = forms[prefix]
    return [str(e) for e in form.errors.get(name, [])]


def test_a_5_mb_name_is_refused_with_a_message(client):
    steps = start(client, "about")
    response = post_step(client, "about", {**steps["about"], "about-family_name": "A" * 5_000_000})
    assert response.status_code == 200
    assert "at most 100 characters" in field_errors(response, "about", "family_name")[0]
    draft = IntakeDraft.objects.get()
    assert len(str(draft.data)) < 10_000  # the paste is not kept


def test_an_email_without_at_is_refused(client):
    steps = start(client, "about")
    response = post_step(client, "about", {**steps["about"], "about-email": "dmitry.example.org"})
    assert field_errors(response, "about", "email") == ["Enter a valid email address."]


def test_a_birth_date_in_the_future_is_refused(client):
    steps = start(client, "about")
    response = post_step(client, "about", {**steps["about"], "about-date_of_birth": TOMORROW})
    assert field_errors(response, "about", "date_of_birth") == [
        "This date is in the future. Please check it."
    ]


def test_an_entry_in_the_future_is_refused(client):
    steps = start(client, "arrival")
    response = post_step(client, "arrival", {**steps["arrival"], "entries-0-date": TOMORROW})
    entry_form = response.context["forms"]["entries"].forms[0]
    assert entry_form.errors["date"] == ["This date is in the future. Please check it."]


def test_a_child_older_than_the_client_is_refused(client):
    steps = start(client, "family")
    family = {
        **steps["family"],
        "family-0-relationship": "child",
        "family-0-marital_status": "single",
        "family-0-date_of_birth": "1930-01-01",  # the client was born in 1990
    }
    response = post_step(client, "family", family)
    member = response.context["forms"]["family"].forms[0]
    assert member.errors["date_of_birth"] == ["A child cannot be older than you. Please check."]


def test_the_birth_date_is_used_while_the_rest_of_about_you_is_unfinished(client):
    steps = start(client, "arrival")
    post_step(client, "about", {**steps["about"], "about-email": "not an address"})
    response = post_step(client, "arrival", {**steps["arrival"], "entries-0-date": "1985-01-01"})
    entry_form = response.context["forms"]["entries"].forms[0]
    assert entry_form.errors["date"] == ["This date is before your date of birth."]


def test_a_wrong_birth_date_is_not_used_on_later_steps(client):
    steps = start(client, "arrival")
    post_step(client, "about", {**steps["about"], "about-date_of_birth": TOMORROW})
    response = post_step(client, "arrival", {**steps["arrival"], "entries-0-date": "1985-01-01"})
    assert response.status_code == 302  # only the birth date itself is wrong, on its own step


NOT_LATIN = "Please use Latin letters, as in the passport. There is a separate question for " \
    "the name in your own alphabet."


@pytest.mark.parametrize("name", [
    "Политов", "Politоv",  # the second "о" is Cyrillic
    "Шевченко-Polit", "ダミー", "Παπαδόπουλος", "محمد",
])  # fmt: skip
def test_a_name_not_in_latin_letters_is_refused_in_the_clients_language(client, name):
    client.cookies["django_language"] = "ru"
    steps = start(client, "family")
    about = post_step(client, "about", {**steps["about"], "about-given_names": name})
    family = post_step(client, "family", {**steps["family"], "family-0-family_name": name})
    with translation.override("ru"):
        expected = translation.gettext(NOT_LATIN)
    assert expected != NOT_LATIN
    assert field_errors(about, "about", "given_names") == [expected]
    assert field_errors(about, "about", "family_name") == []
    assert family.context["forms"]["family"].forms[0].errors["family_name"] == [expected]
    beside = the(family.content.decode(), "div", {"id": "id_family-0-family_name_error"})
    assert expected in text(beside)


@pytest.mark.parametrize("name", [
    "García Márquez", "Müller-Lüdenscheidt", "Ñúñez", "O'Brien", "N’Diaye", "Łukasz",
    "Straße", "KealohaʻAina",
])  # fmt: skip
def test_latin_letters_with_accents_spaces_hyphens_and_apostrophes_are_kept(client, name):
    steps = start(client, "family")
    about = {**steps["about"], "about-family_name": name, "about-given_names": name}
    family = {**steps["family"], "family-0-family_name": name, "family-0-given_names": name}
    assert post_step(client, "about", about).status_code == 302
    assert post_step(client, "family", family).status_code == 302


def test_an_invalid_phone_number_is_refused(client):
    steps = start(client, "about")
    response = post_step(client, "about", {**steps["about"], "about-phone": "12345"})
    assert field_errors(response, "about", "phone")


def test_detained_without_a_facility_asks_where(client):
    steps = start(client, "arrival")
    response = post_step(client, "arrival", {**steps["arrival"], "status-detained": "on"})
    assert field_errors(response, "status", "detention_facility") == [
        "Please tell us where you are detained."
    ]


def test_a_hearing_without_a_court_asks_which(client):
    steps = start(client, "arrival")
    data = {**steps["arrival"]}
    del data["status-hearing_court"]
    response = post_step(client, "arrival", data)
    assert field_errors(response, "status", "hearing_court")


def test_an_upload_that_is_not_a_document_is_refused(client, tmp_path):
    start(client, "documents")
    fake = tmp_path / "passport.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    with fake.open("rb") as handle:
        response = client.post(
            "/intake/step/documents/", {"action": "upload", "kind": "passport", "file": handle}
        )
    assert response.status_code == 200
    assert "Please upload a PDF, JPEG or PNG file." in response.content.decode()


def test_a_real_pdf_upload_is_kept_and_attached_on_submit(client, tmp_path):
    steps = start(client, "documents")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(pdf_bytes())
    with pdf.open("rb") as handle:
        client.post(
            "/intake/step/documents/", {"action": "upload", "kind": "notice", "file": handle}
        )
    walk(client, {"documents": steps["documents"]})
    client.post("/intake/step/review/", {"action": "submit"})
    document = Case.objects.get().client.documents.get()
    assert document.original_name == "notice.pdf"
    assert document.content_type == "application/pdf"


def test_a_tampered_formset_count_is_a_message_not_a_500(client):
    steps = start(client, "family")
    response = post_step(client, "family", {**steps["family"], "family-TOTAL_FORMS": "abc"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_steps_cannot_be_skipped_without_consent(client):
    response = client.get("/intake/step/review/")
    assert response.status_code == 302
    assert Client.objects.count() == 0


def test_an_unknown_step_is_a_404(client):
    assert client.get("/intake/step/nope/").status_code == 404


def test_a_wrong_resume_link_says_so(client):
    response = client.get("/intake/resume/not-a-real-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
