"""What each member of staff keeps for their own work: saved dashboard filters, how they
want new intakes e-mailed, and the pairs of cases found not to be the same person."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A dashboard query a user named ("my critical"), to open again in one click."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=60)
    # The dashboard's URL parameters, as its filter form takes them.
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self):
        return f"{self.name} ({self.user})"


class TriageAlerts(models.TextChoices):
    # Critical intakes are e-mailed at once either way: a detained client cannot wait.
    DIGEST = "digest", _("Critical at once, the rest in a digest")
    IMMEDIATE = "immediate", _("Every new intake at once")


class StaffSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_settings"
    )
    triage_alerts = models.CharField(
        max_length=10, choices=TriageAlerts.choices, default=TriageAlerts.DIGEST
    )
    # Only the user sets their own choice (cases.alerts); when they last did, for the
    # question "why did I not get that intake at once?".
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        verbose_name_plural = "staff settings"

    def __str__(self):
        return f"Settings of {self.user}"


class NotDuplicate(models.Model):
    """Two cases a user found to be different people: never suggested as duplicates again.
    The pair is kept with the lower id first, so it is one row whichever side was open."""

    case_low = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    case_high = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_low", "case_high"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=Q(case_low__lt=F("case_high")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.case_low_id} is not {self.case_high_id}"

    @staticmethod
    def pair(a: int, b: int) -> dict:
        return {"case_low_id": min(a, b), "case_high_id": max(a, b)}

