import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.choices import Language
from cases.crypto import EncryptedJSONField


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_hash(address: str) -> str:
    return _hash_token(address.strip().lower())


class IntakeDraft(models.Model):
    """An intake in progress: each step's answers as the client typed them."""

    language = models.CharField(max_length=2, choices=Language.choices, default="en")
    # Every answer before submit (narrative, A-number, passport): encrypted at rest.
    data = EncryptedJSONField(default=dict)
    # Uploaded before the case exists; the submit hands them to the client's record.
    documents = models.ManyToManyField("cases.Document", blank=True, related_name="+")
    # Only a hash of the resume token is kept; the token lives in the e-mail.
    resume_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    resume_expires_at = models.DateTimeField(null=True, blank=True)
    # The one session that may read the answers: opening a resume link moves it there and
    # every other session that ever held the draft is cut off.
    session_nonce = models.CharField(max_length=64, blank=True)
    # Checked before a resumed draft without a date of birth is shown on a new device.
    resume_email_hash = models.CharField(max_length=64, blank=True)
    # Wrong answers to that check since the link was opened; limited (INTAKE_RESUME_CHECK_TRIES).
    resume_failures = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # One case per draft: the submit locks the draft row and sets this once.
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["updated_at"], name="intake_draft_updated")]

    def __str__(self):
        return f"Draft {self.pk}"

    def issue_resume_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.resume_token_hash = _hash_token(token)
        self.resume_failures = 0
        self.resume_expires_at = timezone.now() + timezone.timedelta(
            days=settings.INTAKE_RESUME_DAYS
        )
        self.save(update_fields=[
            "resume_token_hash", "resume_expires_at", "resume_failures", "updated_at",
        ])
        return token

    def bind_new_session(self) -> str:
        """A fresh nonce for the session that may read this draft from now on."""
        self.session_nonce = secrets.token_urlsafe(32)
        return self.session_nonce

    @classmethod
    def from_resume_token(cls, token: str):
        """The open draft for this token, or None (wrong, expired or used).

        Locked: two opens of one link race for it, and only the first gets the draft."""
        return cls.objects.select_for_update().filter(
            resume_token_hash=_hash_token(token),
            resume_expires_at__gt=timezone.now(),
            submitted_at__isnull=True,
        ).first()


class PreparationDraft(models.Model):
    """The preparation questionnaire in progress (intake:prepare): each step's answers as
    the client typed them, in the same shape as an IntakeDraft's, until the client sends
    them and cases' service writes them to the records."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="preparation_draft"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default="en")
    data = EncryptedJSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Preparation draft for case {self.case_id}"
