"""The password reset (issue 16, "partly open"): the e-mail says nothing of the request's
Host (its link from SITE_URL only), and the request does the same work whether or not the
address has an account, the e-mail being made and sent by the worker."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import Email
from tests.mailserver import deliver_outbox

from .conftest import run
from .helpers import PASSWORD, sign_in, signed_in

RESET = "/staff/password_reset/"


@pytest.mark.django_db
def test_the_reset_email_ignores_the_hosts_port(lawyer, settings, queued):
    """Host: 127.0.0.1:6666 (allowed host, attacker's port): nothing of it in the e-mail,
    the link starts with SITE_URL."""
    settings.EMAIL_BACKEND = "notifications.backends.OutboxBackend"
    response = Client().post(RESET, {"email": "lawyer@firm.example"}, HTTP_HOST="127.0.0.1:6666")
    assert response.status_code == 302
    run(queued)
    assert deliver_outbox() == 1
    message = mail.outbox[0]
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith(f"{settings.SITE_URL}/staff/reset/") for link in links)
    assert "6666" not in message.subject + message.body
    assert "127.0.0.1" not in message.subject + message.body


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_cost_the_request_the_same(lawyer, settings, queued):
    """The same queries and one queued task each: nothing in the request depends on the
    account existing (the 12 ms vs 5 ms of sending in the request)."""
    settings.EMAIL_BACKEND = "notifications.backends.OutboxBackend"  # as outside the tests

    def work(address):
        with CaptureQueriesContext(connection) as queries:
            response = Client().post(RESET, {"email": address})
        assert response.status_code == 302
        assert response["Location"] == f"{RESET}done/"
        shape = [re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in queries.captured_queries]
        return shape, list(queued)

    known_queries, known_tasks = work("lawyer@firm.example")
    queued.clear()
    unknown_queries, unknown_tasks = work("nobody@firm.example")
    assert known_queries == unknown_queries
    assert not any("auth_user" in q for q in known_queries)  # no account looked up
    assert len(known_tasks) == len(unknown_tasks) == 1
    assert not Email.objects.exists()  # nothing written in the request either way


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reset_and_its_link_works(lawyer, smtp, celery_worker_process):
    """The real worker makes the e-mail and sends it through SMTP; the link sets a new
    password; an unknown address gets nothing (its task ran first: one worker, in order)."""
    Client().post(RESET, {"email": "nobody@firm.example"})
    Client().post(RESET, {"email": "lawyer@firm.example"}, HTTP_HOST="127.0.0.1:6666")
    [message] = smtp.wait_for(1)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "lawyer@firm.example"
    assert "6666" not in message["Subject"] + body
    link = re.search(r"http://testserver(/staff/reset/\S+)", body).group(1)
    browser = Client()
    form = browser.get(link, follow=True)
    assert form.status_code == 200
    new = "another long password 2027"
    response = browser.post(form.redirect_chain[-1][0],
                            {"new_password1": new, "new_password2": new})  # fmt: skip
    assert response.status_code == 302
    assert signed_in(sign_in(Client(), "lawyer", new))
    assert not signed_in(sign_in(Client(REMOTE_ADDR="10.9.9.9"), "lawyer", PASSWORD))
    assert [m["To"] for m in smtp.messages] == ["lawyer@firm.example"]
