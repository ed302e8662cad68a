"""Django's e-mail backend for the whole app: every message handed to Django's mail API
(Django's own password reset included) becomes an outbox row, sent by the worker through
settings.OUTBOX_TRANSPORT, so all mail has the outbox's guarantees."""

from django.core.mail.backends.base import BaseEmailBackend

from .models import EmailKind
from .outbox import email_queue


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            if message.attachments:
                # The outbox keeps text and HTML only; refuse rather than drop a file.
                raise ValueError("The outbox does not send attachments.")
            html = next(
                (content for content, kind in getattr(message, "alternatives", ())
                 if kind == "text/html"),
                "",
            )  # fmt: skip
            for address in [*message.to, *message.cc, *message.bcc]:
                # Written by Django, not by our services: it may hold a secret link, so
                # its body is dropped once it is sent.
                email_queue(to=address, subject=message.subject, text=message.body, html=html,
                            kind=EmailKind.OTHER, keep_body=False)  # fmt: skip
        return len(email_messages)
