"""The outbox's bodies made at send time: a secret (a resume link) is minted only when its
e-mail goes, and an e-mail that has nothing left to say is not sent."""

import pytest
from django.core import mail
from django.utils import timezone

from intake.emails import resume_link_queue
from intake.models import IntakeDraft
from notifications.models import Email
from notifications.outbox import email_send

pytestmark = pytest.mark.django_db


def test_the_link_is_made_when_the_email_is_sent_and_a_resend_makes_a_new_one():
    draft = IntakeDraft.objects.create(language="es")
    resume_link_queue(draft=draft, to="ana@example.org")
    email = Email.objects.get()
    assert (email.body_text, email.body_html, email.late_body) == ("", "", {"draft_id": draft.pk})
    draft.refresh_from_db()
    assert draft.resume_token_hash is None  # no link exists before the e-mail goes

    assert email_send(email_id=email.pk) is True
    first = mail.outbox[-1].body
    assert "/intake/resume/" in first
    draft.refresh_from_db()
    first_hash = draft.resume_token_hash
    assert first_hash

    Email.objects.filter(pk=email.pk).update(status="queued")  # staff asked to send it again
    assert email_send(email_id=email.pk) is True
    draft.refresh_from_db()
    assert draft.resume_token_hash != first_hash  # only the newest link opens the draft
    assert mail.outbox[-1].body != first
    assert Email.objects.get(pk=email.pk).body_text == ""  # nothing secret kept


def test_a_link_for_a_draft_submitted_meanwhile_is_not_sent():
    draft = IntakeDraft.objects.create()
    resume_link_queue(draft=draft, to="ana@example.org")
    IntakeDraft.objects.filter(pk=draft.pk).update(submitted_at=timezone.now())
    email = Email.objects.get()

    assert email_send(email_id=email.pk) is False
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.last_error) == ("failed", "Nothing to send any more.")


def test_mail_handed_to_django_goes_into_the_outbox_and_its_body_is_not_kept(settings):
    """Django's own mail (a password reset, say) becomes outbox rows, one per recipient, sent
    by the worker's path; once sent its body, which may hold a secret link, is dropped."""
    from django.core.mail import EmailMultiAlternatives, send_mail

    settings.EMAIL_BACKEND = "notifications.backends.OutboxBackend"  # as outside the tests
    message = EmailMultiAlternatives("Reset", "https://x/reset/SECRET/", to=["a@firm.example"],
                                     cc=["b@firm.example"])  # fmt: skip
    message.attach_alternative("<p>https://x/reset/SECRET/</p>", "text/html")
    message.send()
    rows = Email.objects.order_by("to")
    assert [(e.to, e.status, e.keep_body) for e in rows] == [
        ("a@firm.example", "queued", False), ("b@firm.example", "queued", False),
    ]  # fmt: skip
    assert mail.outbox == []  # nothing goes before the worker sends it

    assert [email_send(email_id=e.pk) for e in rows] == [True, True]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@firm.example", "b@firm.example"]
    assert "SECRET" in mail.outbox[0].alternatives[0][0]
    assert not any("SECRET" in e.body_text + e.body_html for e in Email.objects.all())

    with pytest.raises(ValueError, match="attachments"):
        attached = EmailMultiAlternatives("Scan", "see file", to=["a@firm.example"])
        attached.attach("scan.pdf", b"%PDF-1.4", "application/pdf")
        attached.send()
    assert send_mail("Plain", "text", None, ["c@firm.example"]) == 1
