"""The daily reminder run and the critical-deadline alerts: deadlines in, outbox rows out.

A fixed number of queries per batch of digests: the overdue deadlines and those whose
reminder is due and not yet sent are read in one query each; each batch's digests are one
insert of e-mail rows and one of reminder rows.
"""

import re
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.utils import translation

from notifications.models import EmailKind
from notifications.outbox import email_queue, email_queue_many
from notifications.rendering import email_render

from .emails import triage_recipients
from .models import Deadline, DeadlineKind, DeadlineStatus, Reminder
from .reminders import CRITICAL_DAYS, digest_line, digest_order, is_critical, offset_reached

KIND_LABELS = {kind.value: str(kind.label) for kind in DeadlineKind}
# Digests rendered and written together: bounds the text held at once and the size of an
# insert; each batch commits (and its e-mails go out) on its own.
DIGESTS_PER_BATCH = 500


def _items(deadlines, today: date) -> list[dict]:
    """The digest's fields of these deadlines, each with the reminder key it is sent today
    (`reminder_key` annotated; none for an overdue one)."""
    # Unordered: digest_order orders what is sent (a sort here was a spill to disk at 1M).
    rows = deadlines.order_by().values_list(
        "pk", "kind", "due_date", "due_time", "time_zone", "case_id", "case__reference",
        "case__assigned_attorney__email", "reminder_key",
    )  # fmt: skip
    return [
        {
            "pk": pk, "kind": kind, "kind_label": KIND_LABELS[kind], "due_date": due_date,
            "due_time": due_time, "time_zone": time_zone, "case_id": case_id,
            "reference": reference, "days_left": (due_date - today).days,
            "attorney_email": attorney_email or "", "key": key,
        }
        for pk, kind, due_date, due_time, time_zone, case_id, reference, attorney_email, key
        in rows
    ]  # fmt: skip


def _due_items(today: date, offsets: list[int]) -> list[dict]:
    """What today's digests list: every overdue open deadline, and those due within the
    largest offset whose reminder for today (cases.reminders.offset_reached) was not sent."""
    open_deadlines = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    overdue = open_deadlines.filter(due_date__lt=today).annotate(
        reminder_key=Value(None, output_field=CharField())
    )
    unsent = (
        open_deadlines.filter(due_date__range=(today, today + timedelta(days=max(offsets))))
        .annotate(reminder_key=offset_reached(today, offsets))
        .filter(
            ~Exists(Reminder.objects.filter(deadline=OuterRef("pk"), key=OuterRef("reminder_key")))
        )
    )
    return _items(overdue, today) + _items(unsent, today)


def _recipients(item: dict, triage: list[str]) -> list[str]:
    # A deadline nobody is assigned to goes to the attorneys on triage duty.
    return [item["attorney_email"]] if item["attorney_email"] else triage


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override("en"):
        subject, text, _html = email_render(template, context, html=False)
    return subject, text


def reminders_run(*, today: date, batch: int = DIGESTS_PER_BATCH) -> int:
    """Queue today's digests: every overdue open deadline, and the offset reminders due.

    Returns how many digests were queued. A second run on the same day queues none, and of
    two at once each digest is queued by one (the outbox's dedupe key per reader and day).
    """
    triage = triage_recipients()
    site = settings.SITE_URL.rstrip("/")
    digests = defaultdict(list)
    new_keys = {}
    for item in _due_items(today, settings.REMINDER_OFFSETS_DAYS):
        if item["key"]:
            new_keys[item["pk"]] = item["key"]
        item["line"] = digest_line(item, site)  # once, however many readers it has
        for address in _recipients(item, triage):
            digests[address].append(item)
    addresses = sorted(digests)
    queued = 0
    for start in range(0, len(addresses), batch):
        queued += _queue_digests({address: digest_order(digests[address])
                                  for address in addresses[start:start + batch]},
                                 new_keys, today)  # fmt: skip
    return queued


def _queue_digests(digests: dict[str, list[dict]], new_keys: dict, today: date) -> int:
    """One batch: its digests' e-mails, and the reminders of those this run wrote (a reader
    whose digest for today exists already gets none, and its deadlines stay unreminded)."""
    emails = []
    for address, items in digests.items():
        context = {"items": items, "today": today,
                   "lines": "\n".join(item["line"] for item in items),
                   "overdue": sum(i["days_left"] < 0 for i in items)}  # fmt: skip
        subject, text = _render("cases/emails/digest", context)
        emails.append({"to": address, "subject": subject, "text": text,
                       "dedupe_key": _digest_key(address, today)})  # fmt: skip
    with transaction.atomic():
        created = email_queue_many(emails=emails, kind=EmailKind.REMINDER)
        carried_by = {}  # deadline -> the first new digest (by address) that lists it
        for address, items in digests.items():
            email_id = created.get(_digest_key(address, today))
            if email_id is None:
                continue
            for item in items:
                if item["pk"] in new_keys and item["pk"] not in carried_by:
                    carried_by[item["pk"]] = email_id
        # In the unique index's order: each index page visited once, not once per row.
        _reminders_write({pk: new_keys[pk] for pk in sorted(carried_by)}, carried_by, today)
    return len(created)


def _reminders_write(keys: dict[int, str], emails: dict[int, int], today: date) -> None:
    """The reminders sent, {deadline id: key}, each with its e-mail; one that exists already
    (the same deadline in another reader's digest, written by an earlier batch or by a run
    at the same time) is left as it is.

    On PostgreSQL as arrays: the UNNEST insert bulk_create writes there, without a model
    instance per row, which was most of a large run's time in Python. Elsewhere (SQLite,
    for `make run`) it is bulk_create.
    """
    if not keys:
        return
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [Reminder(deadline_id=pk, key=key, sent_on=today, email_id=emails[pk])
             for pk, key in keys.items()],
            ignore_conflicts=True, batch_size=500,
        )  # fmt: skip
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Reminder._meta.db_table} (deadline_id, key, sent_on, email_id) "
            "SELECT deadline_id, key, %s, email_id FROM unnest(%s::bigint[], %s::varchar[], "
            "%s::bigint[]) AS sent(deadline_id, key, email_id) "
            "ON CONFLICT (deadline_id, key) DO NOTHING",
            [today, _array(keys), _array(keys.values()), _array(emails[pk] for pk in keys)],
        )


def _array(values) -> str:
    """A PostgreSQL array literal, '{1,2}', of numbers or reminder keys ("offset:14"): one
    string for the server to read. A Python list goes as ARRAY[1, 2, ...], an expression
    parsed and folded element by element (at 100k cases longer than the insert itself)."""
    text = ",".join(map(str, values))
    if not _ARRAY_SAFE.fullmatch(text):
        raise ValueError(f"not an array of numbers or keys: {text[:80]}")
    return "{" + text + "}"


_ARRAY_SAFE = re.compile(r"[\w:,]*")


def _digest_key(address: str, today: date) -> str:
    return f"digest:{address}:{today.isoformat()}"


def critical_run(*, today: date) -> int:
    """One e-mail of its own, once, for each deadline that just became critical."""
    horizon = today + timedelta(days=max(CRITICAL_DAYS.values()))
    triage = triage_recipients()
    queued = 0
    # Only what can be critical and was not alerted: the kinds that can, due from today on.
    candidates = (
        Deadline.objects.filter(
            status=DeadlineStatus.OPEN,
            due_date__range=(today, horizon),
            kind__in=list(CRITICAL_DAYS),
        )
        .filter(~Exists(Reminder.objects.filter(deadline=OuterRef("pk"), key="critical")))
        .annotate(reminder_key=Value("critical"))
    )
    for item in digest_order(_items(candidates, today)):
        if not is_critical(item["kind"], item["due_date"], today):
            continue
        context = {"item": item, "site": settings.SITE_URL.rstrip("/")}
        subject, text = _render("cases/emails/critical", context)
        try:
            with transaction.atomic():
                Reminder.objects.create(deadline_id=item["pk"], key="critical", sent_on=today)
                for address in _recipients(item, triage):
                    email_queue(to=address, subject=subject, text=text, kind=EmailKind.REMINDER)
        except IntegrityError:
            continue  # another run sent it
        queued += 1
    return queued
