"""Daily reminder digests and critical alerts, run by a real `celery worker` through the real
Redis to a real SMTP server, across simulated days."""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User

from cases.models import Court, Deadline, Reminder
from cases.services import case_move_stage
from cases.tasks import send_critical_reminders, send_reminders

from ..factories import CaseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data", "celery_worker_process"),
]

T = date(2026, 12, 1)


def day(offset: int) -> str:
    return (T + timedelta(days=offset)).isoformat()


@pytest.fixture
def firm():
    users = {}
    for name, group in (("ana", "attorneys"), ("carl", "attorneys"), ("ben", "triage duty")):
        user = User.objects.create_user(name, f"{name}@firm.example", "x" * 16)
        user.groups.add(Group.objects.get(name=group))
        users[name] = user
    court = Court.objects.get(name__startswith="San Diego")
    ana_case = CaseFactory(assigned_attorney=users["ana"])
    unassigned = CaseFactory()
    carl_case = CaseFactory(assigned_attorney=users["carl"])

    def deadline(case, kind, days, **extra):
        return Deadline.objects.create(case=case, kind=kind, due_date=T + timedelta(days=days),
                                       **extra)  # fmt: skip

    return {
        "users": users,
        "hearing": deadline(ana_case, "hearing", 14, court=court,
                            time_zone="America/Los_Angeles"),  # fmt: skip
        "overdue": deadline(ana_case, "court_filing", -2),
        "interview": deadline(ana_case, "interview", 20),
        "biometrics": deadline(unassigned, "biometrics", 7),
        "evidence": deadline(carl_case, "evidence_request", 3),
        "cases": (ana_case, unassigned, carl_case),
    }


def run(task, on: str, smtp, expect: int):
    """Run the task for a day on the worker; wait for `expect` new e-mails, then a little more
    to see that no others come."""
    before = len(smtp.messages)
    task.delay(on)
    smtp.wait_for(before + expect, timeout=30)
    time.sleep(1.5)
    return smtp.messages[before:]


def bodies(messages):
    return {m["To"]: m.get_body(preferencelist=("plain",)).get_content() for m in messages}


def test_digests_across_days_without_duplicates_and_with_catch_up(smtp, firm):
    refs = {key: d.case.reference for key, d in firm.items() if isinstance(d, Deadline)}

    first = bodies(run(send_reminders, day(0), smtp, expect=3))
    assert set(first) == {"ana@firm.example", "ben@firm.example", "carl@firm.example"}
    ana = first["ana@firm.example"]
    # Most urgent first: the overdue filing, then the hearing (14 days), then the interview.
    order = [ana.index(text) for text in ("OVERDUE by 2 days", "in 14 days", "in 20 days")]
    assert order == sorted(order)
    assert "Hearing" in ana and refs["hearing"] in ana
    assert refs["biometrics"] in first["ben@firm.example"]  # unassigned: triage duty
    assert refs["evidence"] in first["carl@firm.example"]
    for case in firm["cases"]:  # e-mail carries references, never client names
        assert case.client.family_name not in " ".join(first.values())

    # The same day again (a second beat, a retry): nothing new.
    assert run(send_reminders, day(0), smtp, expect=0) == []

    # Next day: only the overdue deadline is due again.
    second = bodies(run(send_reminders, day(1), smtp, expect=1))
    assert list(second) == ["ana@firm.example"]
    assert "OVERDUE by 3 days" in second["ana@firm.example"]
    assert "in 13 days" not in second["ana@firm.example"]

    # Day 7 is missed (the worker was down); day 8 catches up the 7-day reminder, once.
    eighth = bodies(run(send_reminders, day(8), smtp, expect=3))
    assert "in 6 days" in eighth["ana@firm.example"]  # the hearing's 7-day reminder
    assert "(OVERDUE by 1 day)" in eighth["ben@firm.example"]  # biometrics passed yesterday
    keys = set(Reminder.objects.filter(deadline=firm["hearing"]).values_list("key", flat=True))
    assert keys == {"offset:14", "offset:7"}


def test_a_hearing_tomorrow_gets_one_immediate_email(smtp, firm):
    reference = firm["hearing"].case.reference
    messages = run(send_critical_reminders, day(13), smtp, expect=1)
    assert messages[0]["To"] == "ana@firm.example"
    assert messages[0]["Subject"] == f"URGENT {reference}: hearing TOMORROW"
    assert run(send_critical_reminders, day(13), smtp, expect=0) == []
    assert Reminder.objects.filter(deadline=firm["hearing"], key="critical").count() == 1


def test_a_met_deadline_is_not_chased(smtp, firm):
    run(send_reminders, day(0), smtp, expect=3)
    firm["overdue"].status = "met"
    firm["overdue"].save()
    assert run(send_reminders, day(1), smtp, expect=0) == []


def test_a_declined_case_gets_no_digest_line_and_no_alert(smtp):
    """Two of an attorney's cases have a judge's filing deadline in 3 days; one is declined
    through the service. The worker's digest and critical alerts name the other case only."""
    ana = User.objects.create_user("ana", "ana@firm.example", "x" * 16)
    ana.groups.add(Group.objects.get(name="attorneys"))
    working, declined = CaseFactory(assigned_attorney=ana), CaseFactory(assigned_attorney=ana)
    for case in (working, declined):
        Deadline.objects.create(case=case, kind="court_filing", due_date=T + timedelta(days=3))
    declined.refresh_from_db()
    case_move_stage(case=declined, to_stage="declined", by=ana, version=declined.version,
                    reason="The client chose another firm.")  # fmt: skip

    digest = bodies(run(send_reminders, day(0), smtp, expect=1))
    assert list(digest) == ["ana@firm.example"]
    assert working.reference in digest["ana@firm.example"]
    assert declined.reference not in digest["ana@firm.example"]

    alerts = run(send_critical_reminders, day(0), smtp, expect=1)
    assert [m["Subject"] for m in alerts] == [
        f"URGENT {working.reference}: filing deadline in 3 days"
    ]
    assert declined.reference not in " ".join(bodies(alerts).values())
