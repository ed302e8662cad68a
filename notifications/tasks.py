"""Celery tasks of the outbox: thin; they take ids and call notifications.outbox."""

import smtplib

from celery import shared_task

from . import outbox

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
