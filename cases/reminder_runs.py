"""The daily reminder run and the critical-deadline alerts: deadlines in, outbox rows out.

A fixed number of queries per recipient: the due deadlines and what was already sent are
read in one query each; each recipient's digest is one e-mail row and one bulk insert.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from notifications.models import EmailKind
from notifications.outbox import email_queue
from notifications.rendering import email_render

from .emails import triage_recipients
from .models import Deadline, DeadlineKind, DeadlineStatus, Reminder
from .reminders import digest_order, is_critical, reminder_due

KIND_LABELS = {kind.value: str(kind.label) for kind in DeadlineKind}


def _due_items(today: date, horizon: date) -> list[dict]:
    rows = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lte=horizon).values(
        "pk", "kind", "due_date", "due_time", "time_zone", "case_id", "case__reference",
        "case__assigned_attorney__email",
    )  # fmt: skip
    return [
        {
            "pk": r["pk"], "kind": r["kind"], "kind_label": KIND_LABELS[r["kind"]],
            "due_date": r["due_date"], "due_time": r["due_time"],
            "time_zone": r["time_zone"], "case_id": r["case_id"],
            "reference": r["case__reference"], "days_left": (r["due_date"] - today).days,
            "attorney_email": r["case__assigned_attorney__email"] or "",
        }
        for r in rows
    ]  # fmt: skip


def _sent_keys(horizon: date) -> dict[int, set[str]]:
    sent = defaultdict(set)
    rows = Reminder.objects.filter(
        deadline__status=DeadlineStatus.OPEN, deadline__due_date__lte=horizon
    ).values_list("deadline_id", "key")
    for deadline_id, key in rows:
        sent[deadline_id].add(key)
    return sent


def _recipients(item: dict, triage: list[str]) -> list[str]:
    # A deadline nobody is assigned to goes to the attorneys on triage duty.
    return [item["attorney_email"]] if item["attorney_email"] else triage


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override("en"):
        subject, text, _html = email_render(template, context, html=False)
    return subject, text


def reminders_run(*, today: date) -> int:
    """Queue today's digests: every overdue open deadline, and the offset reminders due.

    Returns how many digests were queued. A second run on the same day queues none.
    """
    offsets = sorted(settings.REMINDER_OFFSETS_DAYS)
    horizon = today + timedelta(days=max(offsets))
    sent = _sent_keys(horizon)
    triage = triage_recipients()
    digests = defaultdict(list)
    new_keys = {}
    for item in _due_items(today, horizon):
        if item["days_left"] < 0:
            item["reason"] = "overdue"
        else:
            key = reminder_due(item["due_date"], today, offsets, sent[item["pk"]])
            if key is None:
                continue
            item["reason"] = key
            new_keys[item["pk"]] = key
        for address in _recipients(item, triage):
            digests[address].append(item)
    queued = 0
    for address, items in sorted(digests.items()):
        queued += _queue_digest(address, digest_order(items), new_keys, today)
    return queued


def _queue_digest(address: str, items: list[dict], new_keys: dict, today: date) -> int:
    site = settings.SITE_URL.rstrip("/")
    context = {"items": items, "today": today, "site": site,
               "overdue": sum(i["days_left"] < 0 for i in items)}  # fmt: skip
    subject, text = _render("cases/emails/digest", context)
    try:
        with transaction.atomic():
            email = email_queue(
                to=address, subject=subject, text=text, kind=EmailKind.REMINDER,
                dedupe_key=f"digest:{address}:{today.isoformat()}",
            )  # fmt: skip
            Reminder.objects.bulk_create(
                [Reminder(deadline_id=i["pk"], key=new_keys[i["pk"]], sent_on=today, email=email)
                 for i in items if i["pk"] in new_keys],
                ignore_conflicts=True,  # the same deadline in two recipients' digests
            )  # fmt: skip
    except IntegrityError:
        return 0  # this recipient's digest for today exists already
    return 1


def critical_run(*, today: date) -> int:
    """One e-mail of its own, once, for each deadline that just became critical."""
    horizon = today + timedelta(days=3)
    sent = _sent_keys(horizon)
    triage = triage_recipients()
    queued = 0
    for item in _due_items(today, horizon):
        if "critical" in sent[item["pk"]] or not is_critical(item["kind"], item["due_date"],
                                                             today):  # fmt: skip
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
