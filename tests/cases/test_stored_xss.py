"""Names and stories full of markup are shown as text on every staff page and in e-mails;
staff pages are never cached."""

import pytest
from django.core import mail

from cases.emails import intake_notifications_queue
from cases.models import Deadline
from notifications.outbox import email_send

from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def hostile_case():
    case = CaseFactory(client=ClientFactory(
        given_names=SCRIPT, family_name=IMAGE, given_names_native=SCRIPT, other_names=IMAGE,
        email="xss@example.org",
    ))  # fmt: skip
    AsylumClaimFactory(client=case.client, feared_harm=SCRIPT, past_harm=IMAGE)
    Deadline.objects.create(case=case, kind="other", due_date=case.created_at.date(),
                            note=SCRIPT)  # fmt: skip
    return case


def test_markup_is_text_on_every_staff_page(client, attorney, hostile_case):
    hostile_case.assigned_attorney = attorney
    hostile_case.save()
    for url in ("/cases/", f"/cases/{hostile_case.pk}/", f"/cases/{hostile_case.pk}/?conflicts=1",
                "/cases/deadlines/", f"/cases/?q={hostile_case.reference}"):  # fmt: skip
        page = client.get(url).content.decode()
        assert SCRIPT not in page and IMAGE not in page, url
        assert "&lt;script&gt;" in page, url


def test_markup_is_text_in_the_triage_and_confirmation_emails(hostile_case, settings):
    settings.TRIAGE_FALLBACK_EMAILS = ["duty@firm.example"]
    # Critical: only a critical intake is e-mailed to the fallback address at once.
    hostile_case.priority = "critical"
    intake_notifications_queue(case=hostile_case)
    from notifications.models import Email

    for email in Email.objects.filter(case_id=hostile_case.pk):
        email_send(email_id=email.pk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert SCRIPT not in html and IMAGE not in html
        assert SCRIPT not in message.subject


def test_staff_pages_are_never_cached_and_carry_the_security_headers(client, attorney,
                                                                     hostile_case):  # fmt: skip
    for url in ("/cases/", f"/cases/{hostile_case.pk}/", "/cases/deadlines/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
