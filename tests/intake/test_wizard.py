"""The intake wizard through Django's test client, against PostgreSQL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cases.models import Case, Client, Deadline
from cases.services import case_triage
from intake.models import IntakeDraft
from notifications.models import Email

from ..documents import pdf_bytes
from ..intake_data import answers, walk
from ..intake_pages import elements, text, the

pytestmark = pytest.mark.django_db

NOT_AN_APPLICATION = (
    "This form is not an asylum application. Sending it does not stop any deadline: the "
    "one-year deadline to apply for asylum and any deadline set by the immigration court keep "
    "running until your application is actually filed."
)
PDF = pdf_bytes()


def test_a_full_intake_creates_one_case_with_every_answer(client):
    """Walking every step and submitting creates the client, family, claim and case."""
    walk(client, answers())
    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/intake/done/"
    case = Case.objects.get()
    assert case.stage == "new"
    assert case.reference.startswith("AI-")
    page = client.get("/intake/done/")
    assert case.reference in page.content.decode()
    person = case.client
    assert person.given_names_native == "Дмитрий"
    assert str(person.phone) == "+16195550100"
    assert person.a_number == "A123456789"
    assert person.hearing_court.name.startswith("San Diego")
    assert person.family.get().name_native == "Елена Политова"
    assert person.claim.feared_harm == "Меня мобилизуют и отправят на войну."
    assert person.entries.get().place == "San Ysidro"
    one_year = Deadline.objects.get(case=case, kind="one_year")
    assert one_year.due_date.isoformat() == "2027-03-02"
    assert one_year.computed
    hearing = Deadline.objects.get(case=case, kind="hearing", computed=False)
    assert hearing.court == person.hearing_court
    # The dashboard sorts by the case's earliest open deadline: here the hearing in 40 days.
    assert (case.next_deadline_date, case.next_deadline_kind) == (hearing.due_date, "hearing")


def submit_not_in_proceedings(client):
    """A full intake from someone not in removal proceedings (a hearing date left filled in)."""
    steps = answers()
    del steps["arrival"]["status-in_removal_proceedings"]
    walk(client, steps)
    client.post("/intake/step/review/", {"action": "submit"})


def test_a_case_without_a_hearing_is_sorted_by_its_one_year_deadline_and_triaged(client):
    """What the case stores when it opens is what the rules give when asked again later."""
    submit_not_in_proceedings(client)
    case = Case.objects.get()
    assert (case.next_deadline_date.isoformat(), case.next_deadline_kind) == (
        "2027-03-02", "one_year"
    )
    assert case.priority == case.assessed_priority != "normal"
    assert "Mobilisation notice received" in case.priority_reasons
    Case.next_deadline_refresh(case.pk)
    case_triage(case=case)
    again = Case.objects.get()
    assert (again.next_deadline_date, again.next_deadline_kind) == (
        case.next_deadline_date, case.next_deadline_kind
    )
    assert (again.priority, again.priority_reasons) == (case.priority, case.priority_reasons)


def test_a_second_submit_of_the_same_draft_makes_no_second_case(client):
    """Double click or back button: still one case, and the same reference."""
    walk(client, answers())
    client.post("/intake/step/review/", {"action": "submit"})
    again = client.post("/intake/step/review/", {"action": "submit"})
    assert again.status_code == 302
    assert Case.objects.count() == 1
    assert Client.objects.count() == 1


def test_questions_that_do_not_apply_are_not_kept(client):
    """A hearing date left on the page is dropped when the client is not in proceedings."""
    submit_not_in_proceedings(client)
    person = Client.objects.get()
    assert person.next_hearing_date is None and person.hearing_court is None


def test_unaccompanied_minor_gets_no_one_year_deadline(client):
    """The one-year rule does not apply to unaccompanied children (under 18, no parent or
    guardian in the US)."""
    walk(client, answers(about={"about-date_of_birth": "2011-03-01",
                                "about-marital_status": "single"},
                         arrival={"status-parent_or_guardian_in_us": "no"},
                         family={"family-TOTAL_FORMS": "0"}))  # fmt: skip
    client.post("/intake/step/review/", {"action": "submit"})
    assert Case.objects.count() == 1
    assert not Deadline.objects.filter(kind="one_year").exists()


def test_an_adult_who_came_as_a_child_alone_keeps_the_one_year_deadline(client):
    """An adult is not asked about parents in the US, and an answer posted anyway does not
    lift the one-year rule."""
    walk(client, answers(arrival={"status-parent_or_guardian_in_us": "no"}))
    page = client.get("/intake/step/arrival/")
    assert "status-parent_or_guardian_in_us" not in page.content.decode()
    client.post("/intake/step/review/", {"action": "submit"})
    assert Deadline.objects.filter(kind="one_year").exists()


def test_submit_with_an_unfinished_step_goes_back_to_it(client):
    """Nothing is created while a step still has errors; the client is sent to it."""
    steps = answers()
    walk(client, {k: v for k, v in steps.items() if k != "claim"})
    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response["Location"] == "/intake/step/claim/"
    assert Case.objects.count() == 0 and Client.objects.count() == 0


def test_save_for_later_keeps_invalid_answers_to_fix(client):
    """"Finish later" keeps what was typed even if it is not valid yet."""
    walk(client, {"consent": answers()["consent"]})
    client.post(
        "/intake/step/about/",
        {"about-family_name": "Politov", "about-email": "not-an-email", "action": "save"},
    )
    draft = IntakeDraft.objects.get()
    assert draft.data["about"]["about-family_name"] == ["Politov"]
    page = client.get("/intake/step/about/").content.decode()
    assert 'value="Politov"' in page
    assert "error-summary" in page


def test_family_rows_can_be_added_and_removed(client):
    walk(client, {k: v for k, v in answers().items() if k in ("consent", "about", "arrival")})
    client.post("/intake/step/family/", {"family-TOTAL_FORMS": "0", "family-INITIAL_FORMS": "0",
                                         "action": "add:family"})
    page = client.get("/intake/step/family/").content.decode()
    assert 'name="family-0-family_name"' in page
    client.post("/intake/step/family/", {"family-TOTAL_FORMS": "1", "family-INITIAL_FORMS": "0",
                                         "family-0-family_name": "X",
                                         "action": "remove:family:0"})
    page = client.get("/intake/step/family/").content.decode()
    assert 'name="family-0-family_name"' not in page


def test_review_shows_who_can_be_a_derivative(client):
    """Both in the United States (the spouse of the test data has come over too)."""
    family = {
        "family-TOTAL_FORMS": "2",
        "family-0-in_united_states": "on",
        "family-1-in_united_states": "on",
        "family-1-relationship": "child",
        "family-1-family_name": "Politov",
        "family-1-given_names": "Ivan",
        "family-1-date_of_birth": "2005-12-31",
        "family-1-marital_status": "single",
    }
    walk(client, answers(family=family))
    page = client.get("/intake/step/review/").content.decode()
    assert page.count("Can be included") == 2
    assert "Turns 21 on" in page


def test_the_review_says_who_can_be_included_and_why(client):
    """Family abroad may follow to join after a grant; a stepchild counts if the marriage came
    before 18; a legally separated spouse does not."""
    person = {"sex": "female", "nationality": "RU", "family_name": "Politova"}
    rows = {
        0: {**person, "relationship": "spouse", "given_names": "Elena",
            "date_of_birth": "1992-08-01", "marital_status": "married"},  # abroad
        1: {**person, "relationship": "stepchild", "given_names": "Olga",
            "date_of_birth": "2012-04-01", "marital_status": "single",
            "parent_marriage_date": "2020-06-01", "in_united_states": "on"},
        2: {**person, "relationship": "spouse", "given_names": "Irina",
            "date_of_birth": "1988-01-01", "marital_status": "legally_separated",
            "in_united_states": "on"},
    }
    posted = {f"family-{i}-{k}": v for i, row in rows.items() for k, v in row.items()}
    walk(client, answers(family={**answers()["family"], **posted, "family-TOTAL_FORMS": "3"}))
    page = client.get("/intake/step/review/").content.decode()
    assert "Form I-730" in page
    assert "A legally separated spouse cannot be included." in page
    assert "An unmarried child under 21 can be included in your application." in page


def test_a_stepchild_needs_the_date_of_the_marriage(client):
    walk(client, answers())
    response = client.post("/intake/step/family/", {
        **answers()["family"], "family-0-relationship": "stepchild",
        "family-0-date_of_birth": "2012-04-01", "family-0-marital_status": "single",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Please give the date you married this child&#x27;s parent." in response.content.decode()


def test_the_review_lists_the_uploaded_documents_by_kind_and_name(client):
    """Not "Nothing entered." after uploads; the names the files had, never where they are
    stored."""
    steps = answers()
    walk(client, {slug: data for slug, data in steps.items() if slug != "documents"})
    for kind, name in (("passport", "passport.pdf"), ("evidence", "summons.pdf"),
                       ("evidence", "threats.pdf")):  # fmt: skip
        client.post("/intake/step/documents/", {
            "action": "upload", "kind": kind, "file": SimpleUploadedFile(name, PDF),
        })  # fmt: skip
    walk(client, {"documents": steps["documents"]})
    page = client.get("/intake/step/review/").content.decode()
    section = the(page, "section", {"aria-labelledby": "review-documents"})
    terms = [text(term) for term in elements(str(section), "dt")]
    values = [text(value) for value in elements(str(section), "dd")]
    assert list(zip(terms, values, strict=True)) == [
        ("Passport or ID", "passport.pdf"),
        ("Evidence of harm or threats", "summons.pdf threats.pdf"),
    ]
    assert "summons.pdf<br>threats.pdf" in str(section)  # one a line
    stored = IntakeDraft.objects.get().documents.values_list("file", flat=True)
    assert len(stored) == 3 and not any(path in page for path in stored)


@pytest.mark.parametrize("language", ["en", "ru", "uk", "es"])
def test_the_client_is_told_the_intake_is_not_an_asylum_application(client, language):
    """On the consent step, on the review step and in the confirmation e-mail, in the
    client's language: the deadlines keep running until the firm files."""
    client.cookies["django_language"] = language
    with translation.override(language):
        warning = translation.gettext(NOT_AN_APPLICATION)
    assert language == "en" or warning != NOT_AN_APPLICATION
    consent = client.get("/intake/step/consent/").content.decode()
    walk(client, answers(about={"about-preferred_language": language}))
    review = client.get("/intake/step/review/").content.decode()
    for page in (consent, review):
        assert text(the(page, "p", {"id": "not-an-application"})) == warning
    client.post("/intake/step/review/", {"action": "submit"})
    email = Email.objects.get(kind="confirmation")
    assert warning in email.body_text and warning in email.body_html
