import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.choices import Language
from cases.crypto import EncryptedJSONField


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    submitted_at = models.DateTimeField(null=True, blank=True)
    # One case per draft: the submit locks the draft row and sets this once.
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Draft {self.pk}"

    def issue_resume_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.resume_token_hash = _hash_token(token)
        self.resume_expires_at = timezone.now() + timezone.timedelta(
            days=settings.INTAKE_RESUME_DAYS
        )
        self.save(update_fields=["resume_token_hash", "resume_expires_at", "updated_at"])
        return token

    @classmethod
    def from_resume_token(cls, token: str):
        """The open draft for this token, or None (wrong, expired or used)."""
        return cls.objects.filter(
            resume_token_hash=_hash_token(token),
            resume_expires_at__gt=timezone.now(),
            submitted_at__isnull=True,
        ).first()
