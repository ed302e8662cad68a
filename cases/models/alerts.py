"""The intakes owed to each recipient's next triage digest (cases.alerts)."""

from django.db import models
from django.db.models import Q


class DigestEntry(models.Model):
    """One intake for one recipient's digest. Who gets a digest line rather than an e-mail
    at once is decided at the submit, with the choice they had then, and written in the
    submit's transaction; the digest that lists it sets `digested_at` in the transaction that
    writes its outbox row. So each recipient gets each intake once: a second run finds
    nothing pending, a late run finds everything, and a run that dies commits nothing."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # An address, not a user: the fallback addresses (nobody on duty) have no account.
    to = models.EmailField()
    queued_at = models.DateTimeField(auto_now_add=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        "notifications.Email", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["to", "case"], name="digest_entry_once"),
        ]
        indexes = [
            models.Index(fields=["to", "queued_at"], condition=Q(digested_at__isnull=True),
                         name="digest_entry_pending"),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.case_id} for {self.to}"
