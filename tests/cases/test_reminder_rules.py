"""cases.reminders: which reminder a deadline gets on a given day."""

from datetime import date, timedelta

import pytest

from cases.models import Deadline, Reminder
from cases.reminder_runs import reminders_run
from cases.reminders import digest_order, is_critical

from ..factories import CaseFactory, member_of

OFFSETS = [30, 14, 7, 3, 1, 0]
TODAY = date(2026, 12, 1)


def due_in(days):
    return TODAY + timedelta(days=days)


def reminders_sent(days_left, sent, offsets, settings) -> set[str]:
    """The keys a deadline due in `days_left` days has after today's run, `sent` before it:
    the rule (cases.reminders.offset_reached) as the run applies it, in the database."""
    settings.REMINDER_OFFSETS_DAYS = offsets
    case = CaseFactory(assigned_attorney=member_of("ana", "attorneys"))
    deadline = Deadline.objects.create(case=case, kind="interview", due_date=due_in(days_left))
    for key in sent:
        Reminder.objects.create(deadline=deadline, key=key, sent_on=TODAY - timedelta(days=1))
    reminders_run(today=TODAY)
    return set(deadline.reminders.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("days_left", "sent", "expected"),
    [
        (31, set(), None),
        (30, set(), "offset:30"),
        (20, {"offset:30"}, None),
        (20, set(), "offset:30"),  # a deadline entered late still gets its first reminder
        (14, {"offset:30"}, "offset:14"),
        (13, {"offset:30"}, "offset:14"),  # the 14-day day was missed: caught up, once
        (13, {"offset:30", "offset:14"}, None),
        (6, {"offset:30"}, "offset:7"),  # 14 and 30 missed: only the nearest is sent
        (1, {"offset:30", "offset:14", "offset:7", "offset:3"}, "offset:1"),
        (0, {"offset:1"}, "offset:0"),
        (1, {"critical"}, "offset:1"),  # the alert of its own is not the digest's reminder
        (-1, set(), None),  # overdue ones are listed every day, not as offsets
    ],
)
@pytest.mark.django_db
def test_reminder_due(days_left, sent, expected, settings):
    assert reminders_sent(days_left, sent, OFFSETS, settings) == sent | (
        {expected} if expected else set()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("offsets", "expected"), [([10, 2], {"offset:10"}), ([5, 2], set())])
def test_offsets_are_a_setting_not_code(offsets, expected, settings):
    assert reminders_sent(10, set(), offsets, settings) == expected


@pytest.mark.parametrize(
    ("kind", "days_left", "critical"),
    [
        ("hearing", 1, True),
        ("hearing", 0, True),
        ("hearing", 2, False),
        ("one_year", 3, True),
        ("one_year", 4, False),
        ("court_filing", 3, True),
        ("biometrics", 0, False),
        ("hearing", -1, False),  # past: the daily digest lists it as overdue
    ],
)
def test_is_critical(kind, days_left, critical):
    assert is_critical(kind, due_in(days_left), TODAY) is critical


def test_digest_order_most_urgent_first():
    items = [
        {"due_date": due_in(5), "kind": "biometrics", "reference": "B"},
        {"due_date": due_in(-3), "kind": "one_year", "reference": "C"},
        {"due_date": due_in(5), "kind": "hearing", "reference": "D"},
        {"due_date": due_in(-1), "kind": "interview", "reference": "A"},
    ]
    assert [i["reference"] for i in digest_order(items)] == ["C", "A", "D", "B"]
