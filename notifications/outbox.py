"""The outbox: e-mails written as rows with the change that causes them, then sent by tasks.

Never lost: a row exists before anything is enqueued, and a periodic sweep
re-enqueues rows whose task never ran (broker down, worker died). Never
twice: a task sends a row only after claiming it with a conditional UPDATE.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Email, EmailStatus

log = logging.getLogger(__name__)

# Bodies made when the e-mail is sent, by kind: (late_body ids) -> (subject, text, html), or
# None when there is nothing to send any more. The app that mails a secret registers one.
LateBody = Callable[[dict], tuple[str, str, str] | None]
_LATE_BODIES: dict[str, LateBody] = {}


def late_body(kind: str):
    """Register how to make the body of e-mails of `kind` at send time (a decorator)."""

    def register(make: LateBody) -> LateBody:
        _LATE_BODIES[kind] = make
        return make

    return register


def email_queue(*, to: str, subject: str = "", text: str = "", html: str = "", kind: str,
                case_id: int | None = None, language: str = "en",
                dedupe_key: str | None = None, late: dict | None = None,
                keep_body: bool = True) -> Email:
    """Write the e-mail in the caller's transaction; enqueue its task once that commits.

    With `late`, the body is made by the kind's late_body when sent, from those ids.
    """
    email = _email_row(to=to, subject=subject, text=text, html=html, kind=kind,
                       case_id=case_id, language=language, dedupe_key=dedupe_key,
                       late=late, keep_body=keep_body)  # fmt: skip
    email.save(force_insert=True)
    transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return email


def email_queue_many(*, emails: list[dict], kind: str) -> dict[str, int]:
    """email_queue for many e-mails that must never go twice, each dict holding email_queue's
    arguments with a `dedupe_key`: the rows whose key is new are written in the caller's
    transaction, the others skipped, and the new ones enqueued once that commits.

    Returns {dedupe_key: id} of the rows this call wrote. Safe against a concurrent caller
    writing the same keys: PostgreSQL waits for its transaction, then skips what it wrote.
    """
    rows = [_email_row(kind=kind, **email) for email in emails]
    if any(row.dedupe_key is None for row in rows):
        raise ValueError("email_queue_many writes only e-mails with a dedupe_key")
    # Raw SQL because the answer must say which rows were written: bulk_create returns no ids
    # with ignore_conflicts, and update_conflicts would touch (and return) the existing rows.
    # The columns and their values come from the model, as Django's own INSERT takes them.
    fields = [field for field in Email._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    created = {}
    batch = max(connection.ops.bulk_batch_size(fields, rows), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            cursor.execute(
                f"INSERT INTO {quote(Email._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({quote('dedupe_key')}) DO NOTHING "
                f"RETURNING {quote('id')}, {quote('dedupe_key')}",
                [field.get_db_prep_save(field.pre_save(row, True), connection)
                 for row in chunk for field in fields],
            )  # fmt: skip
            created.update((key, pk) for pk, key in cursor.fetchall())
    ids = sorted(created.values())
    if ids:
        transaction.on_commit(lambda: [email_enqueue(email_id=pk) for pk in ids])
    return created


def _email_row(*, to: str, subject: str = "", text: str = "", html: str = "", kind: str,
               case_id: int | None = None, language: str = "en",
               dedupe_key: str | None = None, late: dict | None = None,
               keep_body: bool = True) -> Email:
    return Email(
        to=to, subject=subject[:300], body_text=text, body_html=html, kind=kind,
        case_id=case_id, language=language, dedupe_key=dedupe_key, late_body=late or {},
        keep_body=keep_body,
    )  # fmt: skip


def email_enqueue(*, email_id: int, countdown: float | None = None) -> bool:
    """Hand the row to the broker; if the broker is down, the sweep will do it later."""
    from .tasks import send_email

    try:
        send_email.apply_async((email_id,), countdown=countdown)
    except Exception:  # noqa: BLE001 - any broker failure: the row stays queued
        log.warning("E-mail %s not enqueued (broker unavailable); the sweep retries it",
                    email_id)
        return False
    return True


def email_send(*, email_id: int) -> bool:
    """Send the row if this call can claim it. True if it was sent by this call.

    Raises the transport's error after recording it, so the task can retry.
    """
    now = timezone.now()
    # The claim: only one caller moves a row from queued/failed to sending.
    claimed = Email.objects.filter(
        pk=email_id, status__in=[EmailStatus.QUEUED, EmailStatus.FAILED]
    ).update(status=EmailStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if claimed != 1:
        return False
    email = Email.objects.get(pk=email_id)
    parts = _LATE_BODIES[email.kind](email.late_body) if email.late_body else (
        email.subject, email.body_text, email.body_html
    )
    if parts is None or not (parts[1] or parts[2]):
        # A late body with nothing left to make it from, or a body dropped once it was sent
        # (keep_body=False): a resend would be an empty e-mail.
        Email.objects.filter(pk=email_id).update(
            status=EmailStatus.FAILED, last_error="Nothing to send any more.", updated_at=now
        )
        return False
    subject, text, html = parts
    transport = get_connection(settings.OUTBOX_TRANSPORT)  # settings.EMAIL_BACKEND is us
    message = EmailMultiAlternatives(subject, text, to=[email.to], connection=transport)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        Email.objects.filter(pk=email_id).update(
            status=EmailStatus.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            next_attempt_at=timezone.now() + retry_delay(email.attempts),
            updated_at=timezone.now(),
        )
        raise
    sent = {"status": EmailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if not email.keep_body:
        sent.update(body_text="", body_html="")
    Email.objects.filter(pk=email_id).update(**sent, updated_at=timezone.now())
    return True


def email_give_up(*, email_id: int) -> None:
    """Retries exhausted: staff see it as failed, with the last error, and can resend."""
    Email.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
        status=EmailStatus.FAILED, updated_at=timezone.now()
    )


def email_resend(*, email: Email) -> None:
    """Staff asked to send again (a failed e-mail, or one the client says never came)."""
    Email.objects.filter(pk=email.pk).exclude(status=EmailStatus.SENDING).update(
        status=EmailStatus.QUEUED, next_attempt_at=timezone.now(), updated_at=timezone.now()
    )
    email_enqueue(email_id=email.pk)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2x base, 4x base... capped."""
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def outbox_sweep(*, now=None) -> int:
    """Re-enqueue what a lost task left behind. Returns how many rows it enqueued."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    stale = timedelta(seconds=settings.EMAIL_SENDING_STALE_SECONDS)
    # A row "sending" for longer than any task may run belongs to a dead worker.
    Email.objects.filter(status=EmailStatus.SENDING, updated_at__lt=now - stale).update(
        status=EmailStatus.QUEUED, updated_at=now
    )
    due = list(
        Email.objects.filter(
            Q(status=EmailStatus.QUEUED) & Q(next_attempt_at__lt=now - grace)
        ).values_list("pk", flat=True)[:1000]
    )
    enqueued = 0
    for email_id in due:
        # Pushed forward so the next sweep leaves it to this task.
        Email.objects.filter(pk=email_id).update(next_attempt_at=now + stale)
        enqueued += email_enqueue(email_id=email_id)
    return enqueued
