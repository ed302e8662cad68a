"""Submitting an intake e-mails the triage attorneys and the client, through a real
`celery worker` process, the real Redis and a real SMTP server."""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User

from cases.family import birthday
from cases.models import Case, Court, StaffSettings
from cases.tasks import send_triage_digests
from notifications.models import Email
from notifications.outbox import email_queue
from notifications.tasks import send_email

from ..intake_data import answers, walk

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data", "celery_worker_process"),
]

NARRATIVE = "Меня мобилизуют и отправят на войну."


@pytest.fixture
def on_duty(reference_data):
    group = Group.objects.get(name="triage duty")
    people = []
    for name in ("ana", "ben"):
        user = User.objects.create_user(name, f"{name}@firm.example", "x" * 16, is_staff=True)
        user.groups.add(group)
        people.append(user)
    return people


def submit(client, **overrides):
    walk(client, answers(**overrides))
    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response["Location"] == "/intake/done/"
    return Case.objects.latest("pk")


def wait_until(check, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def by_recipient(messages):
    return {m["To"]: m for m in messages}


def test_submit_emails_the_attorneys_on_duty_and_the_client(client, smtp, on_duty):
    detained = {"status-detained": "on", "status-detention_facility": "Otay Mesa"}
    case = submit(client, arrival=detained)
    messages = by_recipient(smtp.wait_for(3))
    assert set(messages) == {"ana@firm.example", "ben@firm.example", "dmitry@example.org"}

    alert = messages["ana@firm.example"]
    assert alert["Subject"] == f"[CRITICAL] New intake {case.reference}"  # nothing else
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert "Detained at Otay Mesa" in text
    assert f"http://testserver/cases/{case.pk}/" in text
    assert alert.get_body(preferencelist=("html",)) is not None

    confirmation = messages["dmitry@example.org"]
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert case.reference in confirmation["Subject"] and case.reference in body
    assert "Мы получили" in confirmation["Subject"]  # the client chose Russian

    for message in messages.values():
        content = message.as_string()
        assert NARRATIVE not in content and "митинге" not in content
    wait_until(lambda: Email.objects.filter(case_id=case.pk, status="sent").count() == 3)


def test_with_nobody_on_duty_the_fallback_address_gets_the_alert(client, smtp, settings):
    """The fallback address is treated as "digest": a high intake reaches it in the digest,
    a critical one at once."""
    settings.TRIAGE_FALLBACK_EMAILS = ["duty@firm.example"]
    high = submit(client)
    assert high.priority == "high"
    assert set(by_recipient(smtp.wait_for(1))) == {"dmitry@example.org"}
    send_triage_digests.delay()
    digest = smtp.wait_for(2)[-1]
    assert digest["To"] == "duty@firm.example"
    assert digest["Subject"].startswith("Triage digest: 1 new intake, ")
    assert high.reference in digest.get_body(preferencelist=("plain",)).get_content()
    smtp.clear()
    critical = submit(type(client)(), arrival={"status-detained": "on",
                                              "status-detention_facility": "Otay Mesa"},
                      about={"about-email": "d2@example.org"})  # fmt: skip
    alert = by_recipient(smtp.wait_for(2))["duty@firm.example"]
    assert alert["Subject"] == f"[CRITICAL] New intake {critical.reference}"
    time.sleep(1)
    assert len(smtp.messages) == 2


def test_a_possible_duplicate_is_named_in_the_alert(client, smtp, on_duty):
    # Ana gets every intake at once; Ben, with the default, waits for the digest.
    StaffSettings.objects.create(user=on_duty[0], triage_alerts="immediate")
    first = submit(client)
    assert set(by_recipient(smtp.wait_for(2))) == {"ana@firm.example", "dmitry@example.org"}
    time.sleep(1)
    assert len(smtp.messages) == 2
    smtp.clear()
    other = type(client)()
    second = submit(
        other,
        about={
            "about-given_names": "Dmitrii",
            "about-family_name_native": "",
            "about-given_names_native": "",
            "about-email": "d.politov@example.org",
            "about-phone": "+1 619 555 0111",
        },
    )
    assert list(second.possible_duplicates.all()) == [first]
    received = by_recipient(smtp.wait_for(2))
    assert set(received) == {"ana@firm.example", "d.politov@example.org"}
    alert = received["ana@firm.example"]
    assert f"Possible duplicate of: {first.reference}" in alert.get_body(
        preferencelist=("plain",)
    ).get_content()
    done = other.get("/intake/done/").content.decode()
    assert first.reference not in done  # the client is told nothing of other records


def test_the_same_task_delivered_twice_sends_one_email(smtp):
    email = email_queue(to="x@firm.example", subject="Once", text="Only once.", kind="other")
    send_email.delay(email.pk)
    send_email.delay(email.pk)
    smtp.wait_for(1)
    time.sleep(1.5)
    assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1


def test_smtp_refusing_for_a_while_then_accepting_delivers_once(smtp):
    smtp.refuse = 3
    email = email_queue(to="x@firm.example", subject="Later", text="Eventually.", kind="other")
    smtp.wait_for(1, timeout=30)
    time.sleep(1)
    assert len(smtp.messages) == 1 and smtp.refused == 3
    wait_until(lambda: Email.objects.get(pk=email.pk).status == "sent")
    email.refresh_from_db()
    assert email.attempts == 4


def test_redis_down_during_submit_loses_nothing(client, smtp, on_duty, broker, settings):
    """The client is confirmed; the e-mails go out when Redis is back and the sweep runs.
    (A critical intake: the others wait for the digest, which the beat sends.)"""
    broker.stop()
    try:
        started = time.monotonic()
        case = submit(client, arrival={"status-detained": "on",
                                       "status-detention_facility": "Otay Mesa"})  # fmt: skip
        assert time.monotonic() - started < 15
        assert client.get("/intake/done/").status_code == 200
        assert Email.objects.filter(case_id=case.pk, status="queued").count() == 3
    finally:
        broker.start()
    settings.EMAIL_SWEEP_GRACE_SECONDS = 0
    from notifications.tasks import sweep_outbox

    sweep_outbox.delay()
    messages = smtp.wait_for(3, timeout=60)
    time.sleep(1)
    assert len(smtp.messages) == 3
    assert {m["To"] for m in messages} == {
        "ana@firm.example", "ben@firm.example", "dmitry@example.org",
    }


def test_a_hearing_in_nine_days_is_critical(client, smtp):
    court = Court.objects.get(name__startswith="San Diego")
    hearing = date.today() + timedelta(days=9)
    case = submit(client, arrival={
        "status-next_hearing_date": hearing.isoformat(), "status-hearing_court": str(court.pk),
    })  # fmt: skip
    assert case.priority == "critical"
    assert f"Hearing in 9 days ({court.name})" in case.priority_reasons


def test_a_judges_filing_deadline_in_five_days_is_critical_and_named_in_the_alert(client, smtp):
    """Missing a judge-set filing deadline abandons the application (8 CFR 1003.31(c))."""
    due = date.today() + timedelta(days=5)
    case = submit(client, arrival={"status-judge_filing_deadline": due.isoformat()})
    assert case.priority == "critical"
    assert "Judge's filing deadline in 5 days" in case.priority_reasons
    alert = by_recipient(smtp.wait_for(2))["intake@firm.example"]  # nobody on duty: fallback
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert f"Judge's filing deadline: {due:%Y-%m-%d}" in text
    assert alert["Subject"] == f"[CRITICAL] New intake {case.reference}"


def test_the_alert_names_the_court_posture_the_clocks_and_a_child_about_to_turn_21(
    client, smtp
):
    """A detained client with a judge's deadline in 5 days, an earlier application denied,
    parole ending and a son about to turn 21: the attorney on duty reads all of it in the
    alert; the subject only the level and the reference."""
    due, parole_end = date.today() + timedelta(days=5), date.today() + timedelta(days=40)
    son_born = date.today() - timedelta(days=21 * 365)  # 21 in a few days
    case = submit(
        client,
        arrival={"status-detained": "on", "status-detention_facility": "Otay Mesa",
                 "status-judge_filing_deadline": due.isoformat(),
                 "status-status_ends_on": parole_end.isoformat(),
                 "status-prior_asylum_application": "on",
                 "status-prior_asylum_outcome": "denied",
                 "status-prior_asylum_filed_on": "2026-04-01"},
        family={"family-TOTAL_FORMS": "2", "family-0-in_united_states": "on",
                "family-1-relationship": "child", "family-1-family_name": "Politov",
                "family-1-given_names": "Ivan", "family-1-sex": "male",
                "family-1-date_of_birth": son_born.isoformat(),
                "family-1-marital_status": "single", "family-1-in_united_states": "on"},
    )  # fmt: skip
    alert = by_recipient(smtp.wait_for(2))["intake@firm.example"]
    text = alert.get_body(preferencelist=("plain",)).get_content()
    html = alert.get_body(preferencelist=("html",)).get_content()
    hearing = case.deadlines.get(kind="hearing")
    for line in (
        "- Detained at Otay Mesa",
        "- Judge's filing deadline in 5 days",
        "- Detained: yes, Otay Mesa",
        f"- In removal proceedings: yes (NTA 2026-03-02), next hearing "
        f"{hearing.due_date:%Y-%m-%d} at {hearing.court}",
        f"- Judge's filing deadline: {due:%Y-%m-%d} (missing it abandons the application)",
        f"- Parole until {parole_end:%Y-%m-%d}",
        "- Earlier asylum application: filed 2026-04-01; denied",
        "- Family members: 2, of whom 2 can be derivatives",
        f"- Ivan turns 21 on {birthday(son_born, 21):%Y-%m-%d}: file before "
        "then so that this child stays included",
    ):
        assert line in text, (line, text)
    assert f"Parole until {parole_end:%Y-%m-%d}" in html
    assert alert["Subject"] == f"[CRITICAL] New intake {case.reference}"
