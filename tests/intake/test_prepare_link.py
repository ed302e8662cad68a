"""The client's secure link (intake:prepare, issue 17): nothing shown before the second check
(date of birth, then a one-time code e-mailed to the client); single use per device; expiry
and replacement; one page for every dead link, with a way to ask for a new one; uploads of
the documents the firm asked for, judged as the intake's; every step in the access log."""

import io
import re
import secrets
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import CaseAccess, Document, DocumentRequest, PreparationLink
from cases.preparation_links import preparation_link_send
from cases.preparation_state import link_state
from cases.tasks import new_link_asked
from config.logsafety import mask
from intake import prepare_check, uploads
from notifications.models import Email

from ..documents import pdf_bytes
from ..factories import CaseFactory, member_of
from ..intake_pages import text, the
from ..mailserver import deliver_outbox
from ..prepare_helpers import latest_code_sent, mailed_code, mailed_path, verified_client
from .test_upload_attacks import POLYGLOTS

pytestmark = pytest.mark.django_db

HOME = "/intake/prepare/"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|name="form_stamp" value="[^"]+"')


@pytest.fixture
def case(lawyer):
    return CaseFactory(stage="retained", assigned_attorney=lawyer,
                       client__email="politov@example.org",
                       client__preferred_language="ru")  # fmt: skip


@pytest.fixture
def link(case, lawyer):
    return preparation_link_send(case=case, by=lawyer)


@pytest.fixture
def path(link):
    """The link's path as the client's e-mail carries it."""
    assert deliver_outbox() == 1
    return mailed_path(mail.outbox[-1])


def born(case) -> str:
    return case.client.date_of_birth.isoformat()


def give_birth_date(browser, path, day):
    return browser.post(path, {"action": "birth", "date_of_birth": day})


def give_code(browser, path, code):
    return browser.post(path, {"action": "code", "code": code})


def error_beside(response, field) -> str:
    return text(the(response.content.decode(), "div", {"id": f"id_{field}_error"}))


def client_rows(case, action=CaseAccess.Action.CLIENT_OPENED) -> list[dict]:
    rows = CaseAccess.objects.filter(case=case, action=action).order_by("at", "pk")
    assert all(row.user_id is None for row in rows)
    return [row.detail for row in rows]


def without_tokens(response) -> bytes:
    return CSRF.sub(b"", response.content)


# Opening and the date of birth


def test_the_link_opens_on_a_page_that_asks_the_date_of_birth_and_shows_nobody(case, path):
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="date_of_birth"' in page
    for secret in ("Politov", "Политов", "Dmitry", "politov@", case.reference, "1990"):
        assert secret not in page
    assert "no-store" in response["Cache-Control"]
    assert response.cookies["django_language"].value == "ru"  # the client's language
    assert client_rows(case) == [{"what": "opened", "link": case.preparation_links.get().pk}]


def test_a_wrong_date_of_birth_gets_a_translated_message_beside_the_field(case, path, link):
    browser = Client()
    browser.get(path)
    response = give_birth_date(browser, path, "1991-05-17")
    assert response.status_code == 200
    with translation.override("ru"):
        left = translation.gettext(
            "This does not match what we have. Please check and try again. Tries left: "
            "%(left)d."
        ) % {"left": 4}
    assert re.search("[а-я]", left)
    assert error_beside(response, "date_of_birth") == left
    link.refresh_from_db()
    assert link.failures == 1 and not link.code_hash
    assert not Email.objects.filter(kind="preparation_code").exists()
    assert client_rows(case)[-1]["what"] == "wrong date of birth"


def test_a_date_that_is_no_date_is_refused_beside_the_field_and_not_counted(path, link):
    browser = Client()
    browser.get(path)
    response = give_birth_date(browser, path, "1990-02-31")
    assert response.status_code == 200
    assert error_beside(response, "date_of_birth")
    link.refresh_from_db()
    assert link.failures == 0


def test_the_right_date_of_birth_emails_a_code_to_the_address_on_record(case, path, link):
    browser = Client()
    browser.get(path)
    response = give_birth_date(browser, path, born(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "p***@example.org" in page and "politov@" not in page
    assert 'name="code"' in page
    email = Email.objects.get(kind="preparation_code")
    assert email.to == "politov@example.org" and email.language == "ru"
    assert deliver_outbox() == 1
    message = mail.outbox[-1]
    code = mailed_code(message)
    with translation.override("ru"):
        assert message.subject == translation.gettext("Your one-time code")
    # Minted by the worker: kept only as a keyed hash, nowhere in the outbox row.
    email.refresh_from_db()
    link.refresh_from_db()
    assert code not in f"{email.subject}{email.body_text}{email.body_html}{email.late_body}"
    assert link.code_hash and code not in link.code_hash and link.code_sent_at


def test_the_code_opens_the_clients_page_and_binds_the_link_to_this_browser(case, path, link):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    response = give_code(browser, path, latest_code_sent())
    assert response.status_code == 302 and response["Location"] == HOME
    link.refresh_from_db()
    assert link.verified_at and link.session_nonce and not link.code_hash
    home = browser.get(HOME)
    assert home.status_code == 200
    assert case.reference in home.content.decode()
    # The same browser with the same link comes back to its page.
    assert browser.get(path)["Location"] == HOME
    whats = [row["what"] for row in client_rows(case)]
    assert whats == ["opened", "date of birth right; code sent", "verified on this device"]


def test_a_code_typed_with_spaces_still_counts(case, path):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    code = latest_code_sent()
    assert give_code(browser, path, f" {code[:3]} {code[3:]} ").status_code == 302


def test_a_wrong_code_gets_a_message_beside_the_field(case, path, link):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    code = latest_code_sent()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = give_code(browser, path, wrong)
    assert response.status_code == 200
    with translation.override("ru"):
        assert error_beside(response, "code").endswith("Осталось попыток: 4.")
    link.refresh_from_db()
    assert link.failures == 1 and link.verified_at is None
    assert browser.get(HOME).status_code == 404
    assert client_rows(case)[-1]["what"] == "wrong code"


def test_letters_are_no_code(case, path, link):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    response = give_code(browser, path, "12a456")
    assert error_beside(response, "code")
    link.refresh_from_db()
    assert link.failures == 0


def test_an_expired_code_is_refused_and_a_new_one_works(case, path, link, time_machine):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    old = latest_code_sent()
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    response = give_code(browser, path, old)
    assert response.status_code == 200
    with translation.override("ru"):
        assert error_beside(response, "code").startswith("Срок действия этого кода истёк")
    link.refresh_from_db()
    assert link.verified_at is None and link.failures == 0  # an expired code opens nothing
    assert browser.post(path, {"action": "resend"}).status_code == 200
    new = latest_code_sent()
    assert give_code(browser, path, new).status_code == 302


def test_the_code_works_only_in_the_browser_that_gave_the_date_of_birth(case, path, link):
    first = Client()
    first.get(path)
    give_birth_date(first, path, born(case))
    code = latest_code_sent()
    other = Client()
    other.get(path)
    response = give_code(other, path, code)  # taken as a date of birth: none given
    assert response.status_code == 200
    assert 'name="date_of_birth"' in response.content.decode()
    link.refresh_from_db()
    assert link.verified_at is None


def test_wrong_tries_spend_the_link_even_for_the_right_answers(case, path, link, settings):
    settings.PREPARATION_CHECK_TRIES = 3
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, "1980-01-01")
    give_birth_date(browser, path, born(case))  # right: a code is sent; the count stays
    code = latest_code_sent()
    give_code(browser, path, f"{(int(code) + 1) % 10**6:06d}")
    spent = give_code(browser, path, f"{(int(code) + 2) % 10**6:06d}")
    assert spent.status_code == 404
    link.refresh_from_db()
    assert link.failures == 3
    assert link_state(link, opened=True, now=timezone.now()) == "spent"
    # Now nothing opens it: not the right code, not the right date, not a new browser.
    assert give_code(browser, path, code).status_code == 404
    fresh = Client()
    assert fresh.get(path).status_code == 404
    assert give_birth_date(fresh, path, born(case)).status_code == 404
    assert client_rows(case)[-1]["what"] == "wrong code; link spent"


# Single use per device, expiry, replacement


def test_after_verification_the_link_opens_in_no_other_browser(case, path, link):
    browser = Client()
    browser.get(path)
    give_birth_date(browser, path, born(case))
    give_code(browser, path, latest_code_sent())
    second = Client()
    refused = second.get(path)
    assert refused.status_code == 404
    unknown = Client().get(reverse("intake:prepare", args=[secrets.token_urlsafe(32)]))
    assert without_tokens(refused) == without_tokens(unknown)
    assert give_birth_date(second, path, born(case)).status_code == 404
    assert browser.get(HOME).status_code == 200  # the first one keeps it
    assert client_rows(case)[-1]["what"] == "refused: in use on another device"


def test_the_link_expires_after_the_days_set(case, lawyer, settings, time_machine):
    settings.PREPARATION_LINK_DAYS = 2
    settings.INTAKE_IDLE_SECONDS = 3 * 86400  # the expiry alone, not the idle time
    link = preparation_link_send(case=case, by=lawyer)
    browser = verified_client(link)
    assert link.expires_at - timezone.now() < timedelta(days=2, minutes=1)
    time_machine.move_to(timezone.now() + timedelta(days=1, hours=23))
    assert browser.get(HOME).status_code == 200
    time_machine.move_to(link.expires_at + timedelta(seconds=1))
    assert browser.get(HOME).status_code == 404


def test_an_idle_browser_loses_the_link(case, link, settings, time_machine):
    browser = verified_client(link)
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.INTAKE_IDLE_SECONDS + 5))
    assert browser.get(HOME).status_code == 404


def test_an_unopened_link_expires_too(case, path, link, time_machine):
    time_machine.move_to(link.expires_at + timedelta(seconds=1))
    assert Client().get(path).status_code == 404


def test_a_newer_link_replaces_the_old_one(case, lawyer, path, link):
    holder = verified_client(link)
    newer = preparation_link_send(case=case, by=lawyer)
    deliver_outbox()
    new_path = mailed_path(mail.outbox[-1])
    assert new_path != path
    assert Client().get(path).status_code == 404
    assert holder.get(HOME).status_code == 404  # cut off at once
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link_state(link, opened=True, now=timezone.now()) == "replaced"
    assert verified_client(newer).get(HOME).status_code == 200


def test_a_closed_case_opens_no_link(case, path, link):
    holder = verified_client(link)
    case.stage = "closed"
    case.save(update_fields=["stage"])
    assert holder.get(HOME).status_code == 404
    assert Client().get(path).status_code == 404


def test_every_dead_link_gets_the_same_page(case, lawyer, path, link, settings, time_machine):
    """Unknown, replaced, spent and expired: one page, status 404, nothing about anyone."""
    pages = {"unknown": Client().get(reverse("intake:prepare", args=[secrets.token_urlsafe(32)]))}
    preparation_link_send(case=case, by=lawyer)
    pages["replaced"] = Client().get(path)
    deliver_outbox()
    spent_path = mailed_path(mail.outbox[-1])
    settings.PREPARATION_CHECK_TRIES = 1
    spender = Client()
    spender.get(spent_path)
    give_birth_date(spender, spent_path, "1970-01-01")
    pages["spent"] = Client().get(spent_path)
    settings.PREPARATION_CHECK_TRIES = 5
    third = preparation_link_send(case=case, by=lawyer)
    deliver_outbox()
    expired_path = mailed_path(mail.outbox[-1])
    time_machine.move_to(third.expires_at + timedelta(minutes=1))
    pages["expired"] = Client().get(expired_path)
    bodies = {name: without_tokens(page) for name, page in pages.items()}
    assert {page.status_code for page in pages.values()} == {404}
    assert len(set(bodies.values())) == 1, bodies.keys()
    page = pages["expired"].content.decode()
    assert 'action="/intake/prepare/new-link/"' in page and 'name="email"' in page
    assert "no-store" in pages["unknown"]["Cache-Control"]
    for secret in ("Politov", "politov@", case.reference):
        assert secret not in page


# The client's page and the uploads


@pytest.fixture
def requested(case, lawyer):
    passport = DocumentRequest.objects.create(case=case, kind="passport", requested_by=lawyer,
                                              note="все страницы")  # fmt: skip
    notice = DocumentRequest.objects.create(case=case, kind="notice", requested_by=lawyer)
    return passport, notice


def upload(browser, document_request, name, data):
    handle = io.BytesIO(data)
    handle.name = name
    return browser.post(reverse("intake:prepare_upload", args=[document_request.pk]),
                        {f"r{document_request.pk}-file": handle})  # fmt: skip


def test_the_clients_page_in_ukrainian(lawyer, requested):
    case = requested[0].case
    case.client.preferred_language = "uk"
    case.client.save(update_fields=["preferred_language"])
    browser = verified_client(preparation_link_send(case=case, by=lawyer))
    page = browser.get(HOME).content.decode()
    with translation.override("uk"):
        stage = translation.gettext("Retained")
        words = translation.gettext(
            "We are your lawyers now. Next, we prepare your asylum application together: "
            "please answer the questions and send the documents below."
        )
        passport = translation.gettext("Passport")
        notice = translation.gettext("Mobilisation notice (summons)")
    assert re.search("[іїєґ]", words)
    for shown in (case.reference, stage, words, passport, notice, "все страницы"):
        assert shown in page, shown
    assert 'lang="uk"' in page


def test_a_good_pdf_fulfils_the_request(case, requested):
    passport, notice = requested
    browser = verified_client(case.preparation_links.first() or preparation_link_send(
        case=case, by=passport.requested_by))  # fmt: skip
    response = upload(browser, notice, "povestka.pdf", pdf_bytes())
    assert response.status_code == 302 and response["Location"] == HOME
    notice.refresh_from_db()
    document = notice.document
    assert notice.fulfilled_at and document.client_id == case.client_id
    assert document.kind == "military"  # a mobilisation notice among the client's documents
    assert document.content_type == "application/pdf"
    page = browser.get(HOME).content.decode()
    assert f'id="request-{notice.pk}"' not in page and f'id="request-{passport.pk}"' in page
    [row] = client_rows(case, CaseAccess.Action.CLIENT_UPLOAD)
    assert row["request"] == notice.pk and row["document"] == document.pk
    # Received: the next post for it is turned away, nothing more kept.
    again = upload(browser, notice, "again.pdf", pdf_bytes())
    assert again.status_code == 302
    assert Document.objects.count() == 1


@pytest.mark.parametrize("name", ["evidence.pdf", "statement.hta", "photo.jpg", "scan.png"])
def test_a_polyglot_is_refused_with_a_message_and_nothing_is_saved(case, requested, name):
    passport, _notice = requested
    browser = verified_client(preparation_link_send(case=case, by=passport.requested_by))
    response = upload(browser, passport, name, POLYGLOTS[name])
    assert response.status_code == 400
    with translation.override("ru"):
        expected = {str(m) for m in (uploads.SECOND_CONTENT, uploads.NAME_MISMATCH,
                                     uploads.NOT_ALLOWED)}  # fmt: skip
    assert error_beside(response, f"r{passport.pk}-file") in expected
    passport.refresh_from_db()
    assert passport.fulfilled_at is None and not Document.objects.exists()
    assert not client_rows(case, CaseAccess.Action.CLIENT_UPLOAD)


def test_uploads_are_rate_limited_as_the_intakes(case, requested, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "upload": "1/h"}
    passport, notice = requested
    browser = verified_client(preparation_link_send(case=case, by=passport.requested_by))
    assert upload(browser, passport, "a.pdf", pdf_bytes()).status_code == 302
    limited = upload(browser, notice, "b.pdf", pdf_bytes())
    assert limited.status_code == 429
    assert "час" in error_beside(limited, f"r{notice.pk}-file")  # "... wait an hour" in ru
    assert Document.objects.count() == 1


def test_a_cancelled_request_takes_no_upload(case, requested):
    passport, _notice = requested
    browser = verified_client(preparation_link_send(case=case, by=passport.requested_by))
    DocumentRequest.objects.filter(pk=passport.pk).update(cancelled_at=timezone.now())
    assert f'id="request-{passport.pk}"' not in browser.get(HOME).content.decode()
    assert upload(browser, passport, "a.pdf", pdf_bytes()).status_code == 302
    assert not Document.objects.exists()


def test_uploads_need_the_verified_browser(case, requested, path):
    passport, _notice = requested
    stranger = Client()
    stranger.get(path)
    assert upload(stranger, passport, "a.pdf", pdf_bytes()).status_code == 404
    assert not Document.objects.exists()


# Asking for a new link


def ask(address):
    return Client().post(reverse("intake:prepare_new_link"), {"email": address})


def test_a_new_link_is_asked_with_one_answer_for_known_and_unknown(case, link, lawyer):
    """The same page, and the same work in the request: the matching is the worker's."""
    known, unknown = ask("Politov@Example.org"), ask("nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert without_tokens(known) == without_tokens(unknown)
    assert not Email.objects.filter(kind="new_link_asked").exists()
    assert not client_rows(case)


def test_the_worker_tells_the_firm_never_the_client_once_an_hour(case, link, lawyer):
    lawyer.email = "lawyer@firm.example"
    lawyer.save(update_fields=["email"])
    assert new_link_asked("nobody@example.org") == 0
    assert new_link_asked("Politov@Example.org") == 1  # what the worker runs
    [notice] = Email.objects.filter(kind="new_link_asked")
    assert notice.to == "lawyer@firm.example"  # the firm, never the client
    assert case.reference in notice.subject and "Politov" not in notice.subject
    assert "http://testserver" + case.get_absolute_url() in notice.body_text
    assert client_rows(case)[-1]["what"] == "asked for a new link"
    # Once an hour per case, however often the form is sent.
    new_link_asked("politov@example.org")
    assert Email.objects.filter(kind="new_link_asked").count() == 1


def test_a_client_never_sent_a_link_causes_no_notice(case):
    assert new_link_asked("politov@example.org") == 0
    assert not Email.objects.filter(kind="new_link_asked").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "celery_worker_process")
def test_through_the_real_worker_only_a_clients_address_reaches_the_firm(smtp):
    lawyer = member_of("lawyer", "attorneys")
    case = CaseFactory(stage="retained", assigned_attorney=lawyer,
                       client__email="politov@example.org")  # fmt: skip
    PreparationLink.objects.create(case=case, token_hash="x" * 64, created_by=lawyer,
                                   expires_at=timezone.now() + timedelta(days=1))  # fmt: skip
    assert ask("stranger@example.org").status_code == 200
    assert ask("politov@example.org").status_code == 200
    [message] = smtp.wait_for(1, timeout=30)
    assert message["To"] == lawyer.email
    assert message["Subject"].strip() == f"A client asked for a new secure link: {case.reference}"
    time.sleep(1)  # the stranger's request was queued first: nothing came of it
    assert len(smtp.messages) == 1


def test_a_bad_address_is_refused_beside_the_field(case, link):
    response = ask("not an address")
    assert response.status_code == 200
    assert error_beside(response, "email")


def test_asking_is_rate_limited(settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "prepare_new_link": "2/h"}
    assert [ask("a@example.org").status_code for _ in range(3)] == [200, 200, 429]


def test_the_check_is_rate_limited(case, path, link, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "prepare_check": "2/h"}
    browser = Client()
    browser.get(path)
    codes = [give_birth_date(browser, path, "1980-01-01").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    link.refresh_from_db()
    assert link.failures == 2


# Headers and logs


def test_no_page_of_the_link_is_kept_by_a_browser_or_proxy(case, requested, path):
    browser = verified_client(case.preparation_links.get())
    pages = [browser.get(HOME), Client().get(path), Client().get("/intake/prepare/new-link/"),
             ask("x@example.org"), upload(browser, requested[0], "a.pdf", pdf_bytes())]  # fmt: skip
    for response in pages:
        assert "no-store" in response["Cache-Control"], response.status_code


def test_the_token_is_masked_in_logs():
    token = secrets.token_urlsafe(32)
    line = f'"GET /intake/prepare/{token}/ HTTP/1.1" 200'
    assert token not in mask(line) and "/intake/prepare/[token]/" in mask(line)
    assert mask("/intake/prepare/questions/") == "/intake/prepare/questions/"


def test_the_link_is_stored_only_as_a_hash(case, link, path):
    token = path.rstrip("/").rsplit("/", 1)[1]
    email = Email.objects.get(kind="preparation_link")
    assert email.status == "sent"
    assert token not in f"{email.subject}{email.body_text}{email.body_html}{email.late_body}"
    link.refresh_from_db()
    assert token not in link.token_hash
    assert prepare_check.link_for_token(token) == link
    assert PreparationLink.objects.count() == 1
