from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailKind(models.TextChoices):
    TRIAGE = "triage", _("Triage alert to attorneys")
    CONFIRMATION = "confirmation", _("Confirmation to client")
    REMINDER = "reminder", _("Deadline reminder")
    RESUME_LINK = "resume_link", _("Link to continue an intake")
    CONSULTATION = "consultation", _("Consultation confirmation to client")
    PREPARATION_LINK = "preparation_link", _("Secure link to the client")
    PREPARATION_CODE = "preparation_code", _("One-time code to the client")
    NEW_LINK_ASKED = "new_link_asked", _("A client asked for a new secure link")
    OTHER = "other", _("Other")


class Email(models.Model):
    """An outgoing e-mail (the outbox): written with the change that causes it, sent by a task.

    The row is the truth: a task sends it only while it can claim it, so a
    redelivered task or a sweep never sends it twice.
    """

    # The case it concerns, by id: the outbox knows no case model (apps depend one way).
    case_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the next try is due; the sweeper re-enqueues rows left past it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set for e-mails that must never go twice (e.g. one reminder per deadline and day).
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # For an e-mail whose body holds a secret (a resume link): the ids its body is made
    # from when it is sent (notifications.outbox.late_body), so no secret is ever stored.
    late_body = models.JSONField(default=dict, blank=True)
    # False for mail handed over by Django itself (a password reset link): blanked once sent.
    keep_body = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to} ({self.status})"
