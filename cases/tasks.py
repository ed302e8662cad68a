"""Celery tasks: thin; they take ids and call the services."""

import smtplib
from datetime import date

from celery import shared_task
from django.utils import timezone

from . import outbox, reminder_runs

# Transport errors worth another try; anything else is a bug to see in the logs.
TRANSIENT = (smtplib.SMTPException, OSError)


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_email(self, email_id: int) -> bool:
    # acks_late is safe here: email_send claims the row, so a redelivery is a no-op.
    try:
        return outbox.email_send(email_id=email_id)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            outbox.email_give_up(email_id=email_id)
            return False
        countdown = outbox.retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def sweep_outbox() -> int:
    return outbox.outbox_sweep()


def _day(day: str | None) -> date:
    return date.fromisoformat(day) if day else timezone.localdate()


@shared_task
def send_reminders(day: str | None = None) -> int:
    """The daily digests; `day` (ISO) lets a catch-up or a test name the day."""
    return reminder_runs.reminders_run(today=_day(day))


@shared_task
def send_critical_reminders(day: str | None = None) -> int:
    return reminder_runs.critical_run(today=_day(day))
