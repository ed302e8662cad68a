"""Issue 16, plain text at rest: a triage alert, a triage digest and a consultation e-mail
name the client's places and dates; once the real worker has sent them through the real
SMTP server, the outbox keeps their subject, recipient and status for the case page, and
not their text. "Send again" writes a fresh one from the case."""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from cases.consultations import consultation_schedule
from cases.models import Case
from cases.tasks import send_triage_digests
from notifications.models import Email

from ..conftest import verified_login
from ..intake_data import answers, walk

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data", "celery_worker_process"),
]

FACILITY = "Otay Mesa Detention Center"


@pytest.fixture
def ana(reference_data):
    user = User.objects.create_user("ana", "ana@firm.example", "x" * 16)
    user.groups.add(Group.objects.get(name="triage duty"), Group.objects.get(name="attorneys"))
    return user


def submit(client, **overrides) -> Case:
    walk(client, answers(**overrides))
    assert client.post("/intake/step/review/", {"action": "submit"})["Location"] == "/intake/done/"
    return Case.objects.latest("pk")


def sent(**filters) -> Email:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        row = Email.objects.filter(status="sent", **filters).first()
        if row:
            return row
        time.sleep(0.1)
    raise AssertionError(f"no sent e-mail {filters}")


def test_a_sent_triage_alert_keeps_its_subject_not_its_text(client, smtp, ana):
    case = submit(client, arrival={"status-detained": "on",
                                   "status-detention_facility": FACILITY})  # fmt: skip
    [message] = [m for m in smtp.wait_for(2) if m["To"] == "ana@firm.example"]
    assert FACILITY in message.get_body(preferencelist=("plain",)).get_content()
    alert = sent(kind="triage", case_id=case.pk)
    assert (alert.body_text, alert.body_html) == ("", "")
    subject = f"[CRITICAL] New intake {case.reference}"
    assert (alert.to, alert.subject) == ("ana@firm.example", subject)

    staff = type(client)()
    verified_login(staff, ana)
    page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # still listed on the case page, with who got it and that it went
    assert "Triage alert to attorneys to ana@firm.example: <strong>Sent</strong>" in page

    smtp.clear()
    response = staff.post(reverse("cases:resend", args=[case.pk, alert.pk]), follow=True)
    assert "will be sent again" in response.content.decode()
    [again] = smtp.wait_for(1)
    assert again["To"] == "ana@firm.example"
    assert FACILITY in again.get_body(preferencelist=("plain",)).get_content()


def test_a_sent_triage_digest_keeps_no_text(client, smtp, settings, reference_data):
    settings.TRIAGE_FALLBACK_EMAILS = ["duty@firm.example"]
    case = submit(client)  # high: in the digest
    smtp.wait_for(1)
    send_triage_digests.delay()
    digest = [m for m in smtp.wait_for(2) if m["To"] == "duty@firm.example"][0]
    assert case.reference in digest.get_body(preferencelist=("plain",)).get_content()
    row = sent(kind="triage", to="duty@firm.example")
    assert row.body_text == "" and row.subject.startswith("Triage digest: 1 new intake")


def test_a_sent_consultation_email_keeps_no_text(client, smtp, ana):
    case = submit(client)
    smtp.wait_for(1)
    smtp.clear()
    consultation_schedule(case=case, on=date.today() + timedelta(days=9), by=ana,
                          version=Case.objects.get(pk=case.pk).version)  # fmt: skip
    [message] = smtp.wait_for(1)
    assert "Dmitry" in message.get_body(preferencelist=("plain",)).get_content()
    row = sent(kind="consultation", case_id=case.pk)
    assert (row.body_text, row.body_html, row.to) == ("", "", "dmitry@example.org")
