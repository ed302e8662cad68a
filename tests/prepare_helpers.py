"""The client's secure link (intake:prepare) in tests: a link sent as the case page sends it,
and a browser that passed the second check through the real views.

For tests whose database transaction never commits (the `db` fixture): the e-mails are sent
in the test process (tests.mailserver.deliver_outbox, Django's locmem backend), as the
worker would send them. A test with a running worker reads its mail from the SMTP server.
"""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
LINK = re.compile(r"https?://[^/\s]+(/intake/prepare/[A-Za-z0-9_-]+/)")


def sent_link(case, by):
    """A link for `case`, sent by the staff user `by` through the case page's service (the
    case at stage "retained" or later, its client with an e-mail address)."""
    from cases.preparation_links import preparation_link_send

    return preparation_link_send(case=case, by=by)


def link_path(link) -> str:
    """A working path for `link`: a fresh token, as the worker mints one for each e-mail it
    sends (the token is never stored, so the one in an earlier e-mail stops working)."""
    from cases.preparation_links import link_token_issue

    return reverse("intake:prepare", args=[link_token_issue(link=link)])


def mailed_path(message) -> str:
    """The link's path in an e-mail the client received."""
    return LINK.search(message.body).group(1)


def mailed_code(message) -> str:
    """The one-time code in the e-mail the client received."""
    return CODE.search(message.body).group(1)


def latest_code_sent() -> str:
    """Send the one-time codes queued (in this process, as the worker would) and read the
    newest. Only the codes: sending a queued link e-mail would mint the link a new token."""
    from notifications.models import Email, EmailKind
    from notifications.outbox import email_send

    queued = Email.objects.filter(kind=EmailKind.PREPARATION_CODE, status="queued")
    for email_id in queued.order_by("pk").values_list("pk", flat=True):
        email_send(email_id=email_id)
    return mailed_code(mail.outbox[-1])


def verified_client(link) -> Client:
    """A django test Client that opened `link` and passed the second check (the client's
    date of birth, then the code e-mailed to them) through the real views: it holds the
    link from now on (intake.prepare_access.current_link), and the client's page is open
    at reverse("intake:prepare_home")."""
    browser = Client()
    path = link_path(link)
    opened = browser.get(path)
    assert opened.status_code == 200, opened.status_code
    born = link.case.client.date_of_birth.isoformat()
    asked = browser.post(path, {"action": "birth", "date_of_birth": born})
    assert asked.status_code == 200, asked.status_code
    verified = browser.post(path, {"action": "code", "code": latest_code_sent()})
    assert verified.status_code == 302, verified.status_code
    assert verified["Location"] == reverse("intake:prepare_home")
    link.refresh_from_db()
    return browser
