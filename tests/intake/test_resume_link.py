"""Save and resume: an unguessable, expiring link, kept only as a hash."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from intake.models import IntakeDraft
from notifications.models import Email

from ..intake_data import answers, walk
from ..mailserver import deliver_outbox

pytestmark = pytest.mark.django_db


def save_and_get_link(client):
    steps = answers()
    walk(client, {"consent": steps["consent"], "about": steps["about"]})
    response = client.post("/intake/save/", {"email": "dmitry@example.org"})
    assert response.status_code == 200
    assert deliver_outbox() == 1
    return re.search(r"http://testserver(/intake/resume/\S+/)", mail.outbox[-1].body).group(1)


def test_the_link_is_sent_in_the_clients_language(client):
    client.cookies["django_language"] = "ru"
    save_and_get_link(client)
    with translation.override("ru"):
        expected = translation.gettext("Your link to continue your intake")
    assert mail.outbox[-1].subject == expected
    assert re.search("[а-я]", expected)


def test_the_token_is_stored_only_as_a_hash(client):
    link = save_and_get_link(client)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    draft = IntakeDraft.objects.get()
    assert token not in str(draft.resume_token_hash)
    assert draft.resume_token_hash and len(draft.resume_token_hash) == 64
    # Nor in the outbox: the link is made when the e-mail is sent, not when it is queued.
    email = Email.objects.get(kind="resume_link")
    assert email.status == "sent"
    assert token not in f"{email.subject} {email.body_text} {email.body_html} {email.late_body}"


def test_resuming_continues_where_the_client_stopped(client):
    link = save_and_get_link(client)
    other_device = type(client)()
    # A new device first gives the date of birth in the draft (test_side_doors.py).
    assert other_device.get(link)["Location"] == "/intake/continue/"
    response = other_device.post("/intake/continue/", {"date_of_birth": "1990-05-17"})
    assert response["Location"] == "/intake/step/arrival/"
    page = other_device.get("/intake/step/about/").content.decode()
    assert 'value="Politov"' in page


def test_an_expired_link_gets_the_same_message_as_a_wrong_one(client, time_machine):
    link = save_and_get_link(client)
    time_machine.move_to(timezone.now() + timedelta(days=31))
    expired = type(client)().get(link)
    wrong = type(client)().get("/intake/resume/" + "x" * 43 + "/")
    assert expired.status_code == wrong.status_code == 404
    csrf = rb'name="csrfmiddlewaretoken" value="[^"]+"'
    without_csrf = [re.sub(csrf, b"", r.content) for r in (expired, wrong)]
    assert without_csrf[0] == without_csrf[1]


def test_a_submitted_intake_cannot_be_reopened(client):
    link = save_and_get_link(client)
    walk(client, {k: v for k, v in answers().items() if k not in ("consent", "about")})
    client.post("/intake/step/review/", {"action": "submit"})
    assert type(client)().get(link).status_code == 404
