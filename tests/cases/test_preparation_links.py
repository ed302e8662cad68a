"""The case page's preparation panel (issue 17): an attorney or paralegal asks the client for
documents and sends the client's secure link, for a case retained or later; refused with a
clear message otherwise or without an e-mail on record; audited; the e-mail reaches a real
SMTP server through the real worker with a link from SITE_URL and a subject without names;
the panel shows where the link and each request stand, and what the client did."""

import html
import io
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases.models import CaseAccess, DocumentRequest, PreparationLink
from cases.preparation_links import NoClientEmail, preparation_link_send
from notifications.models import Email

from ..conftest import browser_of
from ..documents import pdf_bytes
from ..factories import CaseFactory, member_of
from ..intake_pages import text, the
from ..prepare_helpers import verified_client

pytestmark = pytest.mark.django_db

PANEL_FORMS = ("preparation-link-form", "document-request-form")


@pytest.fixture
def case(lawyer):
    return CaseFactory(stage="retained", assigned_attorney=lawyer,
                       client__email="politov@example.org",
                       client__preferred_language="ru")  # fmt: skip


def url(name, case, *extra):
    return reverse(f"cases:{name}", args=[case.pk, *extra])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def panel(browser, case) -> str:
    page = browser.get(url("detail", case)).content.decode()
    start = page.index('id="preparation"')
    return html.unescape(page[start: page.index("</section>", start)])


def ask_for(browser, case, **ticked):
    data = {}
    for kind, note in ticked.items():
        data[f"kind_{kind}"] = "on"
        data[f"note_{kind}"] = note
    return browser.post(url("document_requests", case), data, follow=True)


def audit(case, action) -> list[dict]:
    rows = CaseAccess.objects.filter(case=case, action=action).order_by("at", "pk")
    return [row.detail for row in rows]


# Who may, and when


@pytest.mark.parametrize("group", ["attorneys", "staff"])
def test_an_attorney_or_a_paralegal_asks_for_documents_and_sends_the_link(case, group):
    user = member_of("worker", group)
    browser = browser_of(user)
    shown = panel(browser, case)
    assert all(f'id="{form}"' in shown for form in PANEL_FORMS)
    response = ask_for(browser, case, passport="all pages, including blank ones", notice="")
    assert messages_of(response) == ["Asked the client for 2 documents."]
    requests = list(DocumentRequest.objects.filter(case=case).order_by("pk"))
    assert [(r.kind, r.note, r.requested_by) for r in requests] == [
        ("passport", "all pages, including blank ones", user), ("notice", "", user)]
    [row] = audit(case, "document_request")
    assert row == {"added": [{"request": r.pk, "kind": r.kind} for r in requests]}

    response = browser.post(url("preparation_link", case), follow=True)
    assert messages_of(response) == ["The secure link will be e-mailed to politov@example.org; "
                                     "any earlier link no longer works."]  # fmt: skip
    link = PreparationLink.objects.get(case=case)
    assert link.created_by == user and link.revoked_at is None
    email = Email.objects.get(kind="preparation_link")
    assert email.to == "politov@example.org" and email.language == "ru"
    assert email.late_body == {"link_id": link.pk} and not email.body_text  # no token kept
    [row] = audit(case, "preparation_link")
    assert row == {"link": link.pk, "email": email.pk, "revoked": []}
    assert "Sent, not opened yet" in panel(browser, case)


def test_an_administrator_sees_the_panel_but_may_not_use_it(case):
    browser = browser_of(member_of("boss", "administrators"))
    shown = panel(browser, case)
    assert not any(f'id="{form}"' in shown for form in PANEL_FORMS)
    assert browser.post(url("preparation_link", case)).status_code == 403
    assert browser.post(url("document_requests", case), {"kind_passport": "on"}).status_code \
        == 403  # fmt: skip
    assert not PreparationLink.objects.exists() and not DocumentRequest.objects.exists()


def test_a_user_outside_the_firms_roles_gets_no_case_page(case):
    user = member_of("nobody", "triage duty")
    assert browser_of(user).get(url("detail", case)).status_code == 403


@pytest.mark.parametrize("stage", ["new", "triaged", "consultation", "closed", "declined"])
def test_before_retained_or_once_ended_nothing_can_be_sent(lawyer, stage):
    case = CaseFactory(stage=stage, client__email="politov@example.org")
    browser = browser_of(lawyer)
    shown = panel(browser, case)
    assert 'id="preparation-closed"' in shown
    assert not any(f'id="{form}"' in shown for form in PANEL_FORMS)
    refusal = ("The client's secure link and document requests are for a case retained or "
               "later, and not closed, declined or merged.")  # fmt: skip
    assert messages_of(browser.post(url("preparation_link", case), follow=True)) == [refusal]
    assert messages_of(ask_for(browser, case, passport="")) == [refusal]
    assert not PreparationLink.objects.exists() and not DocumentRequest.objects.exists()
    assert not Email.objects.filter(kind="preparation_link").exists()


def test_a_merged_case_sends_nothing(lawyer, case):
    kept = CaseFactory(stage="retained")
    case.merged_into = kept
    case.save(update_fields=["merged_into"])
    browser = browser_of(lawyer)
    assert not any(f'id="{form}"' in panel(browser, case) for form in PANEL_FORMS)
    browser.post(url("preparation_link", case))
    assert not PreparationLink.objects.exists()


@pytest.mark.parametrize("stage", ["preparing", "filed", "awaiting"])
def test_later_stages_send_too(lawyer, stage):
    case = CaseFactory(stage=stage, client__email="politov@example.org")
    browser_of(lawyer).post(url("preparation_link", case))
    assert PreparationLink.objects.filter(case=case).exists()


def test_without_an_email_on_record_the_link_is_refused_with_a_clear_message(lawyer):
    case = CaseFactory(stage="retained", client__email="", client__preferred_contact="phone")
    browser = browser_of(lawyer)
    assert 'id="preparation-no-email"' in panel(browser, case)
    response = browser.post(url("preparation_link", case), follow=True)
    assert messages_of(response) == [str(NoClientEmail())]
    assert str(NoClientEmail()) == ("The client has no e-mail address on record: add one "
                                    "(contact details) before sending the secure link.")
    assert not PreparationLink.objects.exists()
    assert not audit(case, "preparation_link")


def test_a_new_link_replaces_every_earlier_one(case, lawyer):
    browser = browser_of(lawyer)
    browser.post(url("preparation_link", case))
    first = PreparationLink.objects.get()
    browser.post(url("preparation_link", case))
    first.refresh_from_db()
    second = PreparationLink.objects.exclude(pk=first.pk).get()
    assert first.revoked_at is not None and second.revoked_at is None
    assert audit(case, "preparation_link")[-1]["revoked"] == [first.pk]
    shown = panel(browser, case)
    assert "Replaced by a newer link" in shown and "Send a new link" in shown


def test_the_link_expires_after_the_days_set(case, lawyer, settings):
    settings.PREPARATION_LINK_DAYS = 3
    link = preparation_link_send(case=case, by=lawyer)
    assert round((link.expires_at - link.created_at).total_seconds()) == 3 * 86400


# The document requests form


def error_beside(response, field) -> str:
    return text(the(response.content.decode(), "div", {"id": f"id_docreq_{field}_error"}))


def test_a_note_too_long_is_refused_beside_its_field_and_nothing_saved(case, lawyer):
    browser = browser_of(lawyer)
    response = browser.post(url("document_requests", case), {
        "kind_passport": "on", "note_passport": "x" * 301, "kind_birth": "on",
    })  # fmt: skip
    assert response.status_code == 400
    assert "at most 300 characters" in error_beside(response, "note_passport")
    assert not DocumentRequest.objects.exists()


def test_nothing_ticked_or_a_note_without_a_tick_is_refused(case, lawyer):
    browser = browser_of(lawyer)
    response = browser.post(url("document_requests", case), {})
    assert response.status_code == 400
    assert response.content.decode().count("Tick at least one document to ask for.") == 1
    response = browser.post(url("document_requests", case), {"note_birth": "the original"})
    assert error_beside(response, "kind_birth") == "Tick it to ask for it (or clear its note)."
    assert not DocumentRequest.objects.exists()


def test_a_document_already_waiting_is_not_asked_twice(case, lawyer):
    browser = browser_of(lawyer)
    ask_for(browser, case, passport="")
    response = browser.post(url("document_requests", case), {"kind_passport": "on"})
    assert error_beside(response, "kind_passport") == "Passport: already asked for and waiting."
    ask_for(browser, case, other="school diploma")
    ask_for(browser, case, other="a letter from the church")  # "other" may be asked again
    assert DocumentRequest.objects.filter(case=case).count() == 3


def test_a_request_is_cancelled_and_a_received_one_stays(case, lawyer):
    browser = browser_of(lawyer)
    ask_for(browser, case, passport="", birth="")
    passport, birth = DocumentRequest.objects.order_by("pk")
    response = browser.post(url("document_request_cancel", case, passport.pk), follow=True)
    assert messages_of(response) == ["Request cancelled: Passport."]
    passport.refresh_from_db()
    assert passport.cancelled_at is not None
    assert audit(case, "document_request")[-1] == {"cancelled": passport.pk, "kind": "passport"}
    DocumentRequest.objects.filter(pk=birth.pk).update(fulfilled_at=passport.cancelled_at)
    response = browser.post(url("document_request_cancel", case, birth.pk), follow=True)
    assert messages_of(response) == ["This request was already received or cancelled."]
    birth.refresh_from_db()
    assert birth.cancelled_at is None


def test_a_request_of_another_case_is_not_found(case, lawyer):
    other = CaseFactory(stage="retained")
    browser = browser_of(lawyer)
    ask_for(browser, other, passport="")
    request = DocumentRequest.objects.get()
    assert browser.post(url("document_request_cancel", case, request.pk)).status_code == 404


# What the panel shows once the client acted


def test_the_panel_follows_the_client(case, lawyer):
    browser = browser_of(lawyer)
    ask_for(browser, case, passport="", notice="")
    link = preparation_link_send(case=case, by=lawyer)
    client_browser = verified_client(link)
    notice = DocumentRequest.objects.get(kind="notice")
    handle = io.BytesIO(pdf_bytes())
    handle.name = "povestka.pdf"
    client_browser.post(reverse("intake:prepare_upload", args=[notice.pk]),
                        {f"r{notice.pk}-file": handle})  # fmt: skip
    notice.refresh_from_db()
    shown = panel(browser, case)
    assert "In use on the client's device" in shown
    assert f'href="{url("document", case, notice.document_id)}"' in shown
    assert re.search(r"Passport</strong>:\s*waiting since", shown)
    assert "Client uploaded a document (uploaded a document)" in shown
    assert "Client opened the secure link (verified on this device)" in shown
    # The received document downloads through the staff view, recorded.
    download = browser.get(url("document", case, notice.document_id))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.pdf"')


# The e-mail, through the real worker and SMTP server


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "celery_worker_process")
def test_the_worker_delivers_the_link_from_site_url_with_no_name_in_the_subject(smtp):
    lawyer = member_of("lawyer", "attorneys")
    case = CaseFactory(stage="retained", assigned_attorney=lawyer,
                       client__email="politov@example.org",
                       client__preferred_language="ru")  # fmt: skip
    response = browser_of(lawyer).post(url("preparation_link", case), HTTP_HOST="127.0.0.1:6666")
    assert response.status_code == 302
    [message] = smtp.wait_for(1, timeout=30)
    assert message["To"] == "politov@example.org"
    subject = message["Subject"].strip()
    assert subject == "Ваша защищённая ссылка от ваших юристов"
    for secret in ("Politov", "Политов", "Dmitry", "Дмитрий", case.reference):
        assert secret not in subject
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"\S+/intake/prepare/\S+/", body)
    assert link.startswith(settings.SITE_URL + "/intake/prepare/")  # never the request's Host
    assert "6666" not in body
    email = Email.objects.get(kind="preparation_link")
    for _ in range(100):  # the worker marks it sent just after the SMTP server has it
        if email.status == "sent":
            break
        time.sleep(0.05)
        email.refresh_from_db()
    assert email.status == "sent"
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in f"{email.body_text}{email.body_html}{email.late_body}"
    opened = Client().get(link.removeprefix(settings.SITE_URL))
    assert opened.status_code == 200 and 'name="date_of_birth"' in opened.content.decode()
