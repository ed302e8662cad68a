"""What the I-589 needs beyond the first intake: the client's lists (Part A.III), the
documents the attorney asks for, and the client's secure link to the preparation
questionnaire (intake:prepare)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField

from ..choices import RequestedDocument, ResidenceKind, SchoolType
from .casework import Case
from .clients import Client, Document


class Residence(models.Model):
    """I-589 Part A.III items 1 and 2: the last address abroad, and every address of the
    past five years (the US included)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="residences")
    kind = models.CharField(max_length=12, choices=ResidenceKind.choices)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    province = models.CharField(max_length=100, blank=True)
    country = CountryField()
    # The form asks month and year; the day is kept as the 1st.
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)  # None: to the present

    class Meta:
        ordering = ["kind", "-from_on", "id"]

    def __str__(self):
        return f"{self.city}, {self.country}"


class Employment(models.Model):
    """I-589 Part A.III item 4: jobs of the past five years, the most recent first."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="employment")
    employer = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    occupation = models.CharField(max_length=150)
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)  # None: to the present

    class Meta:
        ordering = ["-from_on", "id"]

    def __str__(self):
        return f"{self.occupation} at {self.employer}"


class Schooling(models.Model):
    """I-589 Part A.III item 3: every school attended, the most recent first."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="schooling")
    name = models.CharField(max_length=200)
    school_type = models.CharField(max_length=12, choices=SchoolType.choices)
    location = models.CharField(max_length=200, blank=True)
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_on", "id"]
        verbose_name_plural = "schooling"

    def __str__(self):
        return self.name


class DocumentRequest(models.Model):
    """A document the attorney asked the client for; fulfilled by an upload through the
    secure link."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_requests")
    kind = models.CharField(max_length=12, choices=RequestedDocument.choices)
    # Shown to the client as written by the firm (e.g. "all pages, including blank ones").
    note = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} for case {self.case_id}"


def link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PreparationLink(models.Model):
    """The client's secure link to the preparation questionnaire and document requests.

    Only a hash of the token is kept; the token lives in the e-mail. The link opens after a
    second check (date of birth and a one-time code e-mailed to the client), then belongs to
    that one browser session (session_nonce): single use per device. It expires at
    expires_at (settings.PREPARATION_LINK_DAYS) or when the firm sends a newer one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preparation_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The one-time code of the second check: a hash, when it was sent, wrong tries so far.
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    # Set once the second check passed: the session that holds the link from then on.
    verified_at = models.DateTimeField(null=True, blank=True)
    session_nonce = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"], name="prep_link_case")]

    def __str__(self):
        return f"Preparation link {self.pk} for case {self.case_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
