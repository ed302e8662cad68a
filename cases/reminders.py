"""Reminder rules as plain functions: which reminder a deadline gets on a given day (as the
SQL expression a run reads with), and the line it has in the day's digest."""

from datetime import date, time, timedelta

from django.db.models import Case, CharField, Value, When

CRITICAL_DAYS = {"hearing": 1, "one_year": 3, "court_filing": 3}
NO_TIME = time.min


def offset_key(offset: int) -> str:
    return f"offset:{offset}"


def offset_reached(today: date, offsets: list[int]):
    """The key of the offset reminder a deadline is due today, sent or not, as one SQL
    expression on its due date: the smallest offset whose day has come (due in `offset` days
    or fewer). A run sends it unless it was sent (an anti-join on the reminders, so that it
    reads only what it sends, not every key sent in the window). Larger offsets that were
    missed are not sent late, the nearer one says more: a day the worker was down is caught
    up by the next run, once. Beyond the largest offset: none. Overdue deadlines (listed
    every day, never as offsets) come out as the smallest; a run reads them apart.
    """
    return Case(
        *[When(due_date__lte=today + timedelta(days=offset), then=Value(offset_key(offset)))
          for offset in sorted(offsets)],
        default=None, output_field=CharField(),
    )  # fmt: skip


def is_critical(kind: str, due: date, today: date) -> bool:
    """A hearing tomorrow, a filing deadline in 3 days: worth an e-mail of its own, now."""
    days_left = (due - today).days
    return kind in CRITICAL_DAYS and 0 <= days_left <= CRITICAL_DAYS[kind]


def digest_order(items: list[dict]) -> list[dict]:
    """Most urgent first: the longest overdue, then the soonest due; hearings before others;
    a case's deadlines of one day by their time (those without one last), then as entered."""
    return sorted(items, key=lambda i: (i["due_date"], i["kind"] != "hearing", i["reference"],
                                        i.get("due_time") is None, i.get("due_time") or NO_TIME,
                                        i.get("pk")))  # fmt: skip


def digest_line(item: dict, site: str) -> str:
    """A deadline's entry in a digest: what, when, how near, and where its case page is.

    Python rather than the template engine per line: a large caseload's run writes hundreds
    of thousands of these, and this is most of its time otherwise.
    """
    days = item["days_left"]
    when = item["due_date"].isoformat()
    if item["due_time"] is not None:
        when += f" {item['due_time']:%H:%M} {item['time_zone']}"
    if days == -1:
        status = "OVERDUE by 1 day"
    elif days < 0:
        status = f"OVERDUE by {-days} days"
    elif days == 0:
        status = "due TODAY"
    elif days == 1:
        status = "due tomorrow"
    else:
        status = f"in {days} days"
    return (f"- {item['reference']} {item['kind_label']}: {when} ({status})\n"
            f"  {site}/cases/{item['case_id']}/")  # fmt: skip
