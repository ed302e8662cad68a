"""Who may open which staff page: sign-in first, then the role; the access log; CSRF."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from cases.models import CaseAccess, Document, Note
from notifications.models import Email

from ..conftest import verified_login
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long staff password 42"
NARRATIVE = "Меня вызывали в военкомат трижды в марте."
GROUPS = {"outsider": None, "paralegal": "staff", "lawyer": "attorneys", "boss": "administrators"}


@pytest.fixture
def people():
    users = {}
    for username, group in GROUPS.items():
        user = User.objects.create_user(username, f"{username}@firm.example", PASSWORD)
        if group:
            user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return SimpleNamespace(**users)


@pytest.fixture
def world(people):
    """A case with every kind of row a staff URL names: claim, e-mail, note, document."""
    case = CaseFactory()
    EntryFactory(client=case.client)
    AsylumClaimFactory(client=case.client, feared_harm=NARRATIVE)
    email = Email.objects.create(
        case_id=case.pk, kind="confirmation", to=case.client.email,
        subject="We received your intake",
        body_text="Thank you.", status="failed", last_error="SMTPDataError: 451",
    )  # fmt: skip
    note = Note.objects.create(case=case, author=people.lawyer, text="Called the client.")
    content = b"%PDF-1.4 a small passport scan"
    document = Document.objects.create(
        client=case.client, kind="passport", file=ContentFile(content, name="scan.pdf"),
        original_name="passport.pdf", content_type="application/pdf", size=len(content),
    )  # fmt: skip
    return SimpleNamespace(case=case, email=email, note=note, document=document,
                           people=people, content=content)  # fmt: skip


def browser_of(user=None, **options) -> Client:
    browser = Client(**options)
    if user is not None:
        verified_login(browser, user)
    return browser


# Each staff URL: its method and a role that may use it.
URLS = {
    "dashboard": ("get", "paralegal"),
    "detail": ("get", "paralegal"),
    "stage": ("post", "lawyer"),
    "assign": ("post", "lawyer"),
    "priority": ("post", "paralegal"),
    "note_add": ("post", "paralegal"),
    "note_edit": ("post", "lawyer"),  # the note's author
    "translation": ("post", "lawyer"),
    "resend": ("post", "paralegal"),
    "document": ("get", "paralegal"),
    "i589": ("get", "paralegal"),
    "i589_readiness": ("get", "paralegal"),
}


def path_of(name: str, world) -> str:
    case = world.case
    args = {
        "dashboard": [],
        "note_edit": [case.pk, world.note.pk],
        "resend": [case.pk, world.email.pk],
        "document": [case.pk, world.document.pk],
    }.get(name, [case.pk])
    return reverse(f"cases:{name}", args=args)


def data_of(name: str, world) -> dict:
    version = world.case.version
    translation = {
        "version": version,
        "political_activity_en": "",
        "past_harm_en": "",
        "feared_harm_en": "I was summoned to the enlistment office three times in March.",
        "harmed_by_en": "",
        "reported_details_en": "",
        "evidence_en": "",
    }
    return {
        "stage": {"to_stage": "triaged", "version": version},
        "assign": {"attorney": world.people.lawyer.pk, "version": version},
        "priority": {"level": "high", "note": "Hearing moved earlier", "version": version},
        "note_add": {"text": "Client sent the passport."},
        "note_edit": {"text": "Called the client twice."},
        "translation": translation,
    }.get(name, {})


def call(browser: Client, name: str, world, **options):
    method, _role = URLS[name]
    if method == "get":
        return browser.get(path_of(name, world), **options)
    return browser.post(path_of(name, world), data_of(name, world), **options)


def messages_of(response) -> list:
    return list(response.context["messages"])


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


@pytest.mark.parametrize("name", URLS)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(world, name):
    """Someone not signed in is asked to sign in and comes back to the page afterwards."""
    response = call(browser_of(), name, world)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={path_of(name, world)}"


@pytest.mark.parametrize("name", URLS)
def test_a_signed_in_user_without_a_role_is_refused_and_sees_no_client_data(world, name):
    """An account in no group gets 403, and the page names neither the client nor the case."""
    response = call(browser_of(world.people.outsider), name, world)
    assert response.status_code == 403
    body = body_of(response)
    client = world.case.client
    for secret in (client.family_name, client.given_names, client.family_name_native,
                   world.case.reference, NARRATIVE):  # fmt: skip
        assert secret not in body


@pytest.mark.parametrize("name", URLS)
def test_the_right_role_can_use_each_page(world, name):
    """Each page works for a role that has it: pages open, forms save and return to the case."""
    role = URLS[name][1]
    browser = browser_of(getattr(world.people, role))
    response = call(browser, name, world)
    if URLS[name][0] == "get":
        assert response.status_code == 200
        body_of(response)  # read the file to the end, so it is closed
        return
    assert response.status_code == 302
    assert response["Location"] == world.case.get_absolute_url()
    page = browser.get(response["Location"])
    assert [m.level_tag for m in messages_of(page)] == ["success"]


@pytest.mark.parametrize("username", ["paralegal", "lawyer", "boss"])
def test_every_role_opens_the_dashboard_and_the_case_page(world, username):
    """Staff, attorneys and administrators all work from the case list and the case page."""
    browser = browser_of(getattr(world.people, username))
    assert browser.get(path_of("dashboard", world)).status_code == 200
    page = browser.get(path_of("detail", world))
    assert page.status_code == 200
    assert world.case.reference in page.content.decode()


def test_rows_of_another_case_are_not_reachable_through_this_case(world):
    """A note, e-mail or document of another client cannot be opened under this case's URL."""
    other = CaseFactory()
    note = Note.objects.create(case=other, author=world.people.lawyer, text="Other note")
    email = Email.objects.create(case_id=other.pk, kind="confirmation", to="o@example.org",
                                 subject="s", body_text="b")  # fmt: skip
    document = Document.objects.create(
        client=other.client, kind="passport", file=ContentFile(b"other", name="o.pdf"),
        original_name="other.pdf", content_type="application/pdf", size=5,
    )  # fmt: skip
    case = world.case
    lawyer, paralegal = browser_of(world.people.lawyer), browser_of(world.people.paralegal)
    response = lawyer.post(reverse("cases:note_edit", args=[case.pk, note.pk]), {"text": "x"})
    assert response.status_code == 404
    response = paralegal.post(reverse("cases:resend", args=[case.pk, email.pk]))
    assert response.status_code == 404
    response = paralegal.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.text == "Other note"
    assert not CaseAccess.objects.filter(action="document").exists()


def test_the_document_downloads_as_an_attachment_and_is_logged(world):
    """A document is always downloaded, never shown in the browser, and the download is logged."""
    paralegal = world.people.paralegal
    response = call(browser_of(paralegal), "document", world)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    # the case's reference and the document's place on it, never the client's file name
    assert f'filename="{world.case.reference}-1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == world.content
    access = CaseAccess.objects.get(case=world.case, action="document")
    assert access.user == paralegal
    assert access.detail == {"document": world.document.pk}


def test_staff_do_not_see_the_claim_narrative(world):
    """Staff see that the client's own account exists but not what it says."""
    page = browser_of(world.people.paralegal).get(path_of("detail", world)).content.decode()
    assert NARRATIVE not in page
    assert 'id="narrative-hidden"' in page


def test_attorneys_see_the_claim_narrative(world):
    """An attorney reads the client's own account on the case page."""
    page = browser_of(world.people.lawyer).get(path_of("detail", world)).content.decode()
    assert NARRATIVE in page
    assert 'id="narrative-hidden"' not in page


def test_administrators_do_not_see_the_claim_narrative(world):
    """Administrators run the office; the client's own account is not theirs to read."""
    page = browser_of(world.people.boss).get(path_of("detail", world)).content.decode()
    assert NARRATIVE not in page
    assert 'id="narrative-hidden"' in page


def test_staff_cannot_save_a_translation(world):
    """Staff, who may not read the narrative, cannot write its translation either."""
    response = call(browser_of(world.people.paralegal), "translation", world)
    assert response.status_code == 403
    world.case.client.claim.refresh_from_db()
    assert world.case.client.claim.feared_harm_en == ""
    world.case.refresh_from_db()
    assert world.case.version == 1


def test_staff_cannot_assign_an_attorney(world):
    """Assigning the attorney is an attorney's decision; staff get 403 and nothing changes."""
    response = call(browser_of(world.people.paralegal), "assign", world)
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.assigned_attorney is None
    assert world.case.version == 1


def test_administrators_cannot_assign_an_attorney(world):
    """Administrators cannot assign either."""
    response = call(browser_of(world.people.boss), "assign", world)
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.assigned_attorney is None


def test_staff_cannot_close_a_case(world):
    """Ending the firm's representation is for attorneys: a staff member's close is refused."""
    case = world.case
    case.stage = "awaiting"
    case.save()
    browser = browser_of(world.people.paralegal)
    response = browser.post(path_of("stage", world), {"to_stage": "closed", "version": 1},
                            follow=True)  # fmt: skip
    assert [str(m) for m in messages_of(response)] == ["You are not allowed to make that change."]
    case.refresh_from_db()
    assert case.stage == "awaiting"
    assert case.version == 1
    assert not case.stage_changes.exists()


@pytest.mark.parametrize(("username", "sees_log"), [
    ("boss", True), ("lawyer", False), ("paralegal", False),
])  # fmt: skip
def test_only_administrators_read_the_access_log_on_the_case_page(world, username, sees_log):
    """The access log is on the case page for administrators only."""
    browser_of(world.people.paralegal).get(path_of("detail", world))
    page = browser_of(getattr(world.people, username)).get(path_of("detail", world))
    page = page.content.decode()
    assert ('id="access-log"' in page) is sees_log
    if sees_log:
        assert "paralegal: Viewed case page" in page


def test_the_access_log_cannot_be_changed(world):
    """Nobody can rewrite who looked at a case: the database refuses the UPDATE."""
    browser_of(world.people.paralegal).get(path_of("detail", world))
    access = CaseAccess.objects.get(case=world.case)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAccess.objects.filter(pk=access.pk).update(user=world.people.boss)
    access.refresh_from_db()
    assert access.user == world.people.paralegal


def test_the_access_log_cannot_be_deleted(world):
    """Nobody can erase who looked at a case: the database refuses the DELETE."""
    browser_of(world.people.paralegal).get(path_of("detail", world))
    access = CaseAccess.objects.get(case=world.case)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAccess.objects.filter(pk=access.pk).delete()
    assert CaseAccess.objects.filter(pk=access.pk).exists()


def test_a_post_without_a_csrf_token_is_refused(world):
    """A form posted from another site (no CSRF token) is refused and changes nothing."""
    browser = browser_of(world.people.lawyer, enforce_csrf_checks=True)
    response = browser.post(path_of("note_add", world), {"text": "Forged note"})
    assert response.status_code == 403
    response = browser.post(path_of("stage", world), {"to_stage": "triaged", "version": 1})
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.stage == "new"
    assert not Note.objects.filter(text="Forged note").exists()
    # The same form with the page's token goes through.
    browser.get(path_of("detail", world))
    token = browser.cookies["csrftoken"].value
    response = browser.post(path_of("note_add", world),
                            {"text": "Real note", "csrfmiddlewaretoken": token})  # fmt: skip
    assert response.status_code == 302
    assert Note.objects.filter(text="Real note").exists()


def test_sending_an_email_again_is_recorded(world):
    """Every staff action is in the audit trail: "Send again" too, with the e-mail it sent
    (its id and kind, not the address)."""
    email = Email.objects.create(case_id=world.case.pk, kind="confirmation", to="c@example.org",
                                 subject="s", body_text="b", status="failed")  # fmt: skip
    paralegal = world.people.paralegal
    response = browser_of(paralegal).post(reverse("cases:resend", args=[world.case.pk, email.pk]))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "queued"
    record = CaseAccess.objects.get(action="resend")
    assert (record.case, record.user) == (world.case, paralegal)
    assert record.detail == {"email": email.pk, "kind": "confirmation"}
