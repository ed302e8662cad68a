"""The daily digest as its readers get it: the text line by line, one digest per reader and
day however many runs overlap, and a later run on the same day that sends only what is
missing."""

import threading
import time
from datetime import date, timedelta
from datetime import time as clock

import pytest
from django.db import connection

from cases.models import Deadline, Reminder
from cases.reminder_runs import reminders_run
from notifications.models import Email

from ..factories import CaseFactory, member_of

T = date(2026, 12, 1)  # a Tuesday


def deadline(case, kind, days, **extra):
    return Deadline.objects.create(case=case, kind=kind, due_date=T + timedelta(days=days),
                                   **extra)  # fmt: skip


def ana_and_the_unassigned():
    """Ana's deadlines of every kind of line (overdue, today at a time, tomorrow, in days), one
    whose reminder went already, a met one; an unassigned deadline for triage duty (ben)."""
    ana, _ben = member_of("ana", "attorneys"), member_of("ben", "triage duty")
    first, second = (CaseFactory(assigned_attorney=ana, reference=f"AI-2026-00000{n}")
                     for n in (1, 2))  # fmt: skip
    deadline(first, "court_filing", -12)
    deadline(second, "biometrics", -1)
    deadline(second, "hearing", 0, due_time=clock(9, 30), time_zone="America/Los_Angeles")
    deadline(first, "interview", 0)
    deadline(first, "one_year", 1)
    deadline(second, "interview", 14)
    reminded = deadline(second, "evidence_request", 20)
    Reminder.objects.create(deadline=reminded, key="offset:30", sent_on=T - timedelta(days=10))
    deadline(first, "hearing", 3, status="met")
    unassigned = CaseFactory(reference="AI-2026-000003")
    deadline(unassigned, "ead_filing", 7)
    return first, second, unassigned


@pytest.mark.django_db
def test_the_digest_text_line_by_line():
    first, second, unassigned = ana_and_the_unassigned()
    assert reminders_run(today=T) == 2
    digests = {e.to: e for e in Email.objects.order_by("pk")}
    assert list(digests) == ["ana@firm.example", "ben@firm.example"]
    ana = digests["ana@firm.example"]
    assert ana.subject == "Deadlines 2026-12-01: 6 to act on, 2 overdue"
    site = "http://testserver/cases"
    assert ana.body_text == (
        "Your deadlines for Tuesday 1 December 2026, most urgent first:\n"
        "\n"
        f"- AI-2026-000001 Court-set filing deadline: 2026-11-19 (OVERDUE by 12 days)\n"
        f"  {site}/{first.pk}/\n"
        f"- AI-2026-000002 Biometrics: 2026-11-30 (OVERDUE by 1 day)\n"
        f"  {site}/{second.pk}/\n"
        f"- AI-2026-000002 Hearing: 2026-12-01 09:30 America/Los_Angeles (due TODAY)\n"
        f"  {site}/{second.pk}/\n"
        f"- AI-2026-000001 Interview: 2026-12-01 (due TODAY)\n"
        f"  {site}/{first.pk}/\n"
        f"- AI-2026-000001 One-year filing deadline: 2026-12-02 (due tomorrow)\n"
        f"  {site}/{first.pk}/\n"
        f"- AI-2026-000002 Interview: 2026-12-15 (in 14 days)\n"
        f"  {site}/{second.pk}/\n"
        "\n"
        "Deadlines are on each case page; mark one met when it is done and the reminders "
        "stop.\n\n"
    )
    ben = digests["ben@firm.example"]
    assert ben.subject == "Deadlines 2026-12-01: 1 to act on"
    assert ben.body_text == (
        "Your deadlines for Tuesday 1 December 2026, most urgent first:\n"
        "\n"
        f"- AI-2026-000003 EAD filing date: 2026-12-08 (in 7 days)\n"
        f"  {site}/{unassigned.pk}/\n"
        "\n"
        "Deadlines are on each case page; mark one met when it is done and the reminders "
        "stop.\n\n"
    )
    assert {(e.kind, e.dedupe_key, e.status) for e in digests.values()} == {
        ("reminder", "digest:ana@firm.example:2026-12-01", "queued"),
        ("reminder", "digest:ben@firm.example:2026-12-01", "queued"),
    }
    # Each offset reminder recorded once, with the e-mail that carried it; overdue ones are
    # listed every day and recorded never.
    recorded = {(r.deadline.case.reference, r.deadline.kind, r.key, r.email.to)
                for r in Reminder.objects.filter(sent_on=T)}  # fmt: skip
    assert recorded == {
        ("AI-2026-000002", "hearing", "offset:0", "ana@firm.example"),
        ("AI-2026-000001", "interview", "offset:0", "ana@firm.example"),
        ("AI-2026-000001", "one_year", "offset:1", "ana@firm.example"),
        ("AI-2026-000002", "interview", "offset:14", "ana@firm.example"),
        ("AI-2026-000003", "ead_filing", "offset:7", "ben@firm.example"),
    }


def inboxes(messages) -> dict[str, int]:
    counts = {}
    for message in messages:
        counts[message["To"]] = counts.get(message["To"], 0) + 1
    return counts


def settle(smtp, expect: int) -> list:
    """The messages once `expect` have come, and a little longer to see that no others do."""
    smtp.wait_for(expect, timeout=30)
    time.sleep(1.5)
    return list(smtp.messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "celery_worker_process")
def test_two_runs_at_once_send_each_reader_one_digest(smtp):
    """Two beats fire together (a doubled schedule, a retry), in batches of one digest so
    that they interleave: each reader gets one digest, each deadline one reminder."""
    attorneys = [member_of(f"attorney{n}", "attorneys") for n in range(6)]
    member_of("ben", "triage duty")
    member_of("dora", "triage duty")
    for n, attorney in enumerate(attorneys):
        case = CaseFactory(assigned_attorney=attorney)
        deadline(case, "hearing", n)
        deadline(case, "biometrics", -n - 1)
    unassigned = deadline(CaseFactory(), "interview", 3)
    start, queued = threading.Barrier(2), []

    def run():
        try:
            start.wait()
            queued.append(reminders_run(today=T, batch=1))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(queued) == 8 and len(queued) == 2
    readers = {a.email for a in attorneys} | {"ben@firm.example", "dora@firm.example"}
    assert inboxes(settle(smtp, 8)) == dict.fromkeys(readers, 1)
    reminders = Reminder.objects.filter(sent_on=T)
    assert reminders.count() == 7  # six hearings and the unassigned interview, once each
    carried = reminders.get(deadline=unassigned).email
    assert carried.to in {"ben@firm.example", "dora@firm.example"}
    assert unassigned.case.reference in carried.body_text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "celery_worker_process")
def test_a_second_run_on_the_day_sends_only_the_missing_digests(smtp):
    """After the morning's digests, a new attorney's deadline and a new one of ana's are
    entered, and the run goes again (a retry, a second beat): the new attorney gets a digest,
    ana no second one; her new deadline is in tomorrow's digest instead."""
    ana, carl = member_of("ana", "attorneys"), member_of("carl", "attorneys")
    member_of("ben", "triage duty")
    deadline(CaseFactory(assigned_attorney=ana), "hearing", 14)
    deadline(CaseFactory(), "interview", 3)
    assert reminders_run(today=T) == 2
    settle(smtp, 2)

    later = deadline(CaseFactory(assigned_attorney=ana), "biometrics", 5)
    deadline(CaseFactory(assigned_attorney=carl), "court_filing", 6)
    assert reminders_run(today=T) == 1
    assert inboxes(settle(smtp, 3)) == {"ana@firm.example": 1, "ben@firm.example": 1,
                                        "carl@firm.example": 1}  # fmt: skip
    assert not Reminder.objects.filter(deadline=later).exists()

    smtp.clear()
    assert reminders_run(today=T + timedelta(days=1)) == 1
    (tomorrow,) = settle(smtp, 1)
    assert tomorrow["To"] == "ana@firm.example"
    body = tomorrow.get_body(preferencelist=("plain",)).get_content()
    assert f"{later.case.reference} Biometrics: 2026-12-06 (in 4 days)" in body
    assert Reminder.objects.get(deadline=later).key == "offset:7"
