"""cases.reminders: which reminder a deadline gets on a given day."""

from datetime import date, timedelta

import pytest

from cases.reminders import digest_order, is_critical, reminder_due

OFFSETS = [30, 14, 7, 3, 1, 0]
TODAY = date(2026, 12, 1)


def due_in(days):
    return TODAY + timedelta(days=days)


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
        (-1, set(), None),  # overdue ones are listed every day, not as offsets
    ],
)
def test_reminder_due(days_left, sent, expected):
    assert reminder_due(due_in(days_left), TODAY, OFFSETS, sent) == expected


def test_offsets_are_a_setting_not_code():
    assert reminder_due(due_in(10), TODAY, [10, 2], set()) == "offset:10"
    assert reminder_due(due_in(10), TODAY, [5, 2], set()) is None


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
