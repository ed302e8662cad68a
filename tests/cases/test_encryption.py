"""Encryption at rest: narrative, A-number, passport, draft answers and documents."""

from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse

from cases import crypto
from cases.models import AsylumClaim, Case, Client, Document
from intake.models import IntakeDraft

from ..documents import pdf_bytes
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory
from ..intake_data import answers, walk

try:  # staff sign-in with its second step done, where the project has one
    from ..conftest import verified_login as sign_in
except ImportError:  # pragma: no cover

    def sign_in(browser, user):
        browser.force_login(user)


pytestmark = pytest.mark.django_db

NARRATIVE = "Меня задержали на митинге в Москве и избили в отделе полиции."
FEARED = "Меня мобилизуют и отправят на войну против моей воли."
TRANSLATION = "I was detained at a rally in Moscow and beaten at the police station."
A_NUMBER = "A123456789"
PASSPORT = "751234567"
PDF = pdf_bytes()  # a real one: uploads are parsed whole
PASSWORD = "a long staff password 42"


def raw(table: str, column: str, pk: int) -> str:
    """The value exactly as the database holds it, past the model's fields."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def on_disk(document: Document) -> bytes:
    return (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes()


def is_token_of(key: str, token) -> bool:
    try:
        Fernet(key).decrypt(token if isinstance(token, bytes) else token.encode())
    except InvalidToken:
        return False
    return True


@pytest.fixture
def attorney():
    user = User.objects.create_user("lawyer", "lawyer@firm.example", PASSWORD)
    user.groups.add(Group.objects.get(name="attorneys"))
    browser = Browser()
    sign_in(browser, user)
    return browser


@pytest.fixture
def claim():
    client = ClientFactory(a_number=A_NUMBER, passport_number=PASSPORT)
    return AsylumClaimFactory(client=client, past_harm=NARRATIVE, feared_harm=FEARED,
                              past_harm_en=TRANSLATION)  # fmt: skip


def test_the_database_holds_tokens_not_the_narrative_a_number_or_passport(claim):
    """The raw columns hold Fernet tokens: no Cyrillic narrative, translation, A-number or
    passport number is readable in the database."""
    for column, plain in (("past_harm", NARRATIVE), ("feared_harm", FEARED),
                          ("past_harm_en", TRANSLATION)):  # fmt: skip
        stored = raw("cases_asylumclaim", column, claim.pk)
        assert plain not in stored and "Меня" not in stored
        assert stored.startswith("gAAAAA")
    for column, plain in (("a_number", A_NUMBER), ("passport_number", PASSPORT)):
        stored = raw("cases_client", column, claim.client.pk)
        assert plain not in stored and "123456789" not in stored
        assert stored.startswith("gAAAAA")


def test_the_models_give_the_plain_text_back(claim):
    """Read back from the database, every encrypted field is the text that was saved."""
    fresh = AsylumClaim.objects.select_related("client").get(pk=claim.pk)
    assert (fresh.past_harm, fresh.feared_harm, fresh.past_harm_en) == (
        NARRATIVE, FEARED, TRANSLATION,
    )  # fmt: skip
    assert (fresh.client.a_number, fresh.client.passport_number) == (A_NUMBER, PASSPORT)
    assert list(AsylumClaim.objects.values_list("past_harm", flat=True)) == [NARRATIVE]


def test_empty_stored_answersstay_empty_and_can_still_be_filtered(claim):
    """An unanswered question is stored as '' (not a token of ''), so "left empty" queries
    keep working."""
    assert raw("cases_asylumclaim", "evidence", claim.pk) == ""
    assert AsylumClaim.objects.filter(evidence="").count() == 1
    assert AsylumClaim.objects.exclude(past_harm="").count() == 1


def test_the_draft_stored_answersare_stored_encrypted(claim):
    """IntakeDraft.data (every answer before submit) is one token in the database, and the
    draft API (get, item assignment, save with update_fields) works on plain dicts."""
    stored_answers = {"claim-past_harm": [NARRATIVE], "status-a_number": [A_NUMBER]}
    draft = IntakeDraft.objects.create(language="ru")
    draft.data["claim"] = stored_answers
    draft.save(update_fields=["data", "updated_at"])
    stored = raw("intake_intakedraft", "data", draft.pk)
    assert stored.startswith("gAAAAA")
    for plain in (NARRATIVE, "Меня", A_NUMBER, "claim-past_harm"):
        assert plain not in stored
    draft = IntakeDraft.objects.get(pk=draft.pk)
    assert draft.data.get("claim") == stored_answers
    assert draft.data.get("about") is None


def test_a_client_is_found_by_exact_a_number_through_the_hash():
    """The A-number is findable by exact match in any spelling, through its keyed hash."""
    client = ClientFactory(a_number=A_NUMBER)
    ClientFactory(a_number="A987654321")
    ClientFactory()
    assert list(Client.objects.with_a_number("A-123-456-789")) == [client]
    assert list(Client.objects.with_a_number("a 123 456 789")) == [client]
    assert list(Client.objects.with_a_number("123456789")) == [client]
    assert not Client.objects.with_a_number("A-123-456-780").exists()
    assert not Client.objects.with_a_number("").exists()
    stored = raw("cases_client", "a_number_hash", client.pk)
    assert stored == crypto.keyed_hash(A_NUMBER) and A_NUMBER not in stored


def test_the_a_number_hash_follows_a_change_of_the_a_number():
    """Saving a new A-number (also with update_fields) moves the hash with it."""
    client = ClientFactory(a_number=A_NUMBER)
    client.a_number = "A012345678"
    client.save(update_fields=["a_number"])
    assert list(Client.objects.with_a_number("A-12-345-678")) == [client]
    assert not Client.objects.with_a_number(A_NUMBER).exists()


def test_a_stored_document_is_encrypted_on_disk_and_downloads_as_uploaded(attorney):
    """The file under MEDIA_ROOT holds a token, not the uploaded bytes; the staff download
    (GET /cases/<pk>/documents/<doc_pk>/) returns the original bytes."""
    case = CaseFactory()
    content = PDF + "Паспорт: Политов Дмитрий 751234567".encode()
    document = Document.objects.create(
        client=case.client, kind="passport", file=ContentFile(content, name="scan.pdf"),
        original_name="passport.pdf", content_type="application/pdf", size=len(content),
    )  # fmt: skip
    stored = on_disk(document)
    assert content not in stored and b"%PDF" not in stored and b"751234567" not in stored
    assert stored.startswith(b"gAAAAA")
    response = attorney.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content


def test_the_case_page_shows_the_decrypted_stored_answersto_an_attorney(claim, attorney):
    """The attorney's case page shows the narrative, A-number and passport in plain text."""
    case = CaseFactory(client=claim.client)
    page = attorney.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for plain in (NARRATIVE, FEARED, TRANSLATION, A_NUMBER, PASSPORT):
        assert plain in page


def test_a_full_wizard_submit_keeps_every_answer(client):
    """Through the wizard: the draft's stored answers are a token (no narrative, A-number,
    passport), an uploaded document is encrypted on disk, and the submit still creates the
    case with every answer intact."""
    walk(client, answers())
    draft = IntakeDraft.objects.get()
    stored = raw("intake_intakedraft", "data", draft.pk)
    for plain in ("Меня задержали", "A-123-456-789", PASSPORT, "Политов"):
        assert plain not in stored
    upload = ContentFile(PDF, name="notice.pdf")
    response = client.post("/intake/step/documents/",
                           {"action": "upload", "kind": "passport", "file": upload})  # fmt: skip
    assert response.status_code == 302
    assert PDF not in on_disk(Document.objects.get())

    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/intake/done/"
    person = Case.objects.get().client
    assert (person.a_number, person.passport_number) == (A_NUMBER, PASSPORT)
    assert person.given_names_native == "Дмитрий"
    assert person.family.get().name_native == "Елена Политова"
    assert person.claim.past_harm == "Меня задержали на митинге в 2022 году."
    assert person.claim.feared_harm == "Меня мобилизуют и отправят на войну."
    assert person.claim.harmed_by == "Полиция"
    assert list(Client.objects.with_a_number("A-123-456-789")) == [person]
    document = person.documents.get()
    with document.file.open("rb") as handle:
        assert handle.read() == PDF
    assert raw("cases_client", "a_number", person.pk).startswith("gAAAAA")


def test_the_form_still_checks_the_plain_length_of_the_passport_number(client):
    """The passport column has no length limit now, but the form refuses more than 30
    characters with its usual message."""
    steps = answers()
    walk(client, {"consent": steps["consent"]})
    about = {**steps["about"], "about-passport_number": "7" * 31, "action": "next"}
    response = client.post("/intake/step/about/", about)
    assert response.status_code == 200
    assert "at most 30 characters" in response.content.decode()


def test_rotate_keys_re_encrypts_everything_with_the_new_first_key(settings, claim):
    """With a new key first, rotate_keys re-encrypts fields and files: the old key alone no
    longer decrypts anything, the app with only the new key reads everything, and a second
    run changes nothing."""
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    draft = IntakeDraft.objects.create(data={"claim": {"claim-past_harm": [NARRATIVE]}})
    document = Document.objects.create(
        client=claim.client, kind="passport", file=ContentFile(PDF, name="scan.pdf"),
        original_name="passport.pdf", content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_keys", "--batch-size", "1", stdout=out)
    report = out.getvalue()
    assert "cases.AsylumClaim: 1 rows, 3 values re-encrypted" in report
    assert "cases.Client: 1 rows, 2 values re-encrypted" in report
    assert "intake.IntakeDraft: 1 rows, 1 values re-encrypted" in report
    assert "cases.Document.file files: 1 files, 1 re-encrypted" in report

    stored = {
        "past_harm": raw("cases_asylumclaim", "past_harm", claim.pk),
        "past_harm_en": raw("cases_asylumclaim", "past_harm_en", claim.pk),
        "a_number": raw("cases_client", "a_number", claim.client.pk),
        "passport": raw("cases_client", "passport_number", claim.client.pk),
        "draft": raw("intake_intakedraft", "data", draft.pk),
        "file": on_disk(document),
    }
    for name, token in stored.items():
        assert not is_token_of(old, token), name
        assert is_token_of(new, token), name

    settings.FIELD_ENCRYPTION_KEYS = [new]
    fresh = AsylumClaim.objects.select_related("client").get(pk=claim.pk)
    assert (fresh.past_harm, fresh.past_harm_en) == (NARRATIVE, TRANSLATION)
    assert (fresh.client.a_number, fresh.client.passport_number) == (A_NUMBER, PASSPORT)
    assert IntakeDraft.objects.get(pk=draft.pk).data == {"claim": {"claim-past_harm": [NARRATIVE]}}
    with Document.objects.get(pk=document.pk).file.open("rb") as handle:
        assert handle.read() == PDF
    assert list(Client.objects.with_a_number("A-123-456-789")) == [claim.client]

    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "0 values re-encrypted" in out.getvalue()
    assert "files: 1 files, 0 re-encrypted, 1 already current" in out.getvalue()
    assert raw("cases_asylumclaim", "past_harm", claim.pk) == stored["past_harm"]
    assert raw("intake_intakedraft", "data", draft.pk) == stored["draft"]
    assert on_disk(document) == stored["file"]


def test_rotate_keys_refreshes_the_a_number_hash_after_a_new_hash_key(settings):
    """After A_NUMBER_HASH_KEY changes, rotate_keys recomputes the hashes so the A-number is
    findable again."""
    client = ClientFactory(a_number=A_NUMBER)
    settings.A_NUMBER_HASH_KEY = "a new hash key"
    assert not Client.objects.with_a_number(A_NUMBER).exists()
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "1 A-number hashes updated" in out.getvalue()
    assert list(Client.objects.with_a_number("A-123-456-789")) == [client]


def test_rotate_keys_fails_loudly_when_a_value_does_not_decrypt(settings, claim):
    """A value no configured key decrypts is reported and the command fails, so the old key
    is not dropped by mistake."""
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="could not be decrypted"):
        call_command("rotate_keys", stdout=StringIO(), stderr=StringIO())
