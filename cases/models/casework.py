import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..timezones import time_label, today
from .tally import TALLY_TRIGGERS


class Stage(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    CONSULTATION = "consultation", _("Consultation scheduled")
    RETAINED = "retained", _("Retained")
    PREPARING = "preparing", _("Preparing")
    FILED = "filed", _("Filed")
    AWAITING = "awaiting", _("Awaiting decision")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class ConsultationMode(models.TextChoices):
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    OFFICE = "office", _("At the office")


class Case(models.Model):
    """The firm's file for one intake."""

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    client = models.OneToOneField("cases.Client", on_delete=models.PROTECT, related_name="case")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    # `priority` is what the firm works by: the assessed level unless an attorney
    # overrode it; a later assessment never replaces an override.
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assessed_priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    priority_reasons = models.JSONField(default=list, blank=True)
    priority_override_note = models.TextField(blank=True)
    priority_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    priority_overridden_at = models.DateTimeField(null=True, blank=True)
    possible_duplicates = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="duplicated_by"
    )
    assigned_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # The paralegal who works the case beside its attorney.
    assigned_paralegal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paralegal_cases",
    )
    # The consultation, in the firm's time zone (settings.TIME_ZONE).
    consultation_date = models.DateField(null=True, blank=True)
    consultation_time = models.TimeField(null=True, blank=True)
    consultation_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    consultation_mode = models.CharField(
        max_length=10, choices=ConsultationMode.choices, blank=True
    )
    # A case merged into another ("same person") stays as a record of what it held, out of
    # every queue; its accesses stay on it (the access log is append-only).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    # The earliest open deadline, kept in step by cases.services (for sorting and filters).
    next_deadline_date = models.DateField(null=True, blank=True)
    next_deadline_kind = models.CharField(max_length=20, blank=True)
    # Days the applicant stopped the EAD clock (8 CFR 208.7): EAD dates move later by these.
    ead_clock_stopped_days = models.PositiveIntegerField(default=0)
    # Optimistic locking: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["priority"]),
            models.Index(fields=["next_deadline_date"]),
            # The dashboard's default order: most urgent first, then soonest deadline.
            models.Index(
                fields=["priority", "next_deadline_date", "-id"], name="case_default_order"
            ),
            # Counts per stage and level read this index alone; its tail gives the "new"
            # queue section (one stage, default order) as one range.
            models.Index(
                fields=["stage", "priority", "next_deadline_date", "-id"],
                name="case_stage_order",
            ),
            # The queue's dated sections ("due this week", "this month"), each in its order
            # as one range: the first rows of the week without reading and sorting the
            # thousands due in it (at a million cases, 200 ms of each page).
            models.Index(
                fields=["next_deadline_date", "priority", "-id"], name="case_dated_queue",
                condition=Q(merged_into__isnull=True)
                & ~Q(stage__in=[Stage.NEW, Stage.CLOSED, Stage.DECLINED]),
            ),
            models.Index(fields=["consultation_date"], name="case_consultation_date"),
        ]
        permissions = [
            ("view_narrative", "Can see the client's claim narrative"),
            ("assign_case", "Can assign or reassign the attorney"),
            ("change_stage_final", "Can move a case to retained or closed"),
            ("export_cases", "Can export case lists"),
        ]
        triggers = TALLY_TRIGGERS

    def __str__(self):
        return self.reference or f"Case {self.pk}"

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def days_left(self) -> int | None:
        if self.next_deadline_date is None:
            return None
        return (self.next_deadline_date - today()).days

    @property
    def days_left_label(self) -> str:
        days = self.days_left
        if days is None:
            return ""
        if days < 0:
            return f"overdue by {-days} day{'s' if days != -1 else ''}"
        return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")

    @property
    def priority_overridden(self) -> bool:
        return self.priority_overridden_at is not None

    @staticmethod
    def reference_for(pk: int, year: int) -> str:
        return f"{settings.INTAKE_CASE_REFERENCE_PREFIX}-{year}-{pk:06d}"

    @staticmethod
    def next_deadline_refresh(case_id: int) -> None:
        """Keep the case's copy of its earliest open deadline in step (dashboard sort and
        filter); every save or delete of a deadline calls it."""
        first_open = Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.OPEN)
        first_open = first_open.order_by("due_date", "pk")
        Case.objects.filter(pk=case_id).update(
            next_deadline_date=Subquery(first_open.values("due_date")[:1]),
            next_deadline_kind=Coalesce(Subquery(first_open.values("kind")[:1]), Value("")),
        )


class DeadlineKind(models.TextChoices):
    ONE_YEAR = "one_year", _("One-year filing deadline")
    COURT_FILING = "court_filing", _("Court-set filing deadline")
    HEARING = "hearing", _("Hearing")
    MISSED_HEARING = "missed_hearing", _("Missed hearing: motion to reopen")
    ICE_CHECK_IN = "ice_check_in", _("ICE check-in")
    EAD_FILING = "ead_filing", _("EAD filing date")
    EAD_GRANT = "ead_grant", _("EAD earliest grant")
    BIOMETRICS = "biometrics", _("Biometrics")
    INTERVIEW = "interview", _("Interview")
    EVIDENCE_REQUEST = "evidence_request", _("Evidence request response")
    OTHER = "other", _("Other")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    NOT_APPLICABLE = "not_applicable", _("No longer applies")


class HearingType(models.TextChoices):
    MASTER = "master", _("Master calendar hearing")
    INDIVIDUAL = "individual", _("Individual (merits) hearing")


COMPUTED_KINDS = {DeadlineKind.ONE_YEAR, DeadlineKind.EAD_FILING, DeadlineKind.EAD_GRANT}


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    due_date = models.DateField()
    # Where a deadline has a time (a hearing), it is local to its place (the court).
    due_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    court = models.ForeignKey(
        "cases.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hearing_type = models.CharField(max_length=12, choices=HearingType.choices, blank=True)
    computed = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    note = models.TextField(blank=True)
    # The case's assigned attorney, copied here so an attorney's upcoming deadlines are one
    # index range (deadline_attorney_due), not a guess through the case's join; set on
    # save from the case, and by cases.services.deadlines_attorney_sync wherever a case's
    # attorney changes or deadlines move to another case.
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "due_time"]
        constraints = [
            # A computed deadline follows its inputs: one row per kind, updated in place.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(computed=True),
                name="deadline_one_computed_per_kind",
            ),
        ]
        indexes = [
            # Every read of deadlines by date asks for open ones: the reminder runs, the
            # deadlines page, and the staff's upcoming deadlines, which walk it in the order
            # shown (due date, then id) and stop at the twelfth of an open case, however
            # stale the planner's statistics.
            models.Index(
                fields=["due_date", "id"], condition=Q(status="open"), name="deadline_open_due"
            ),
            models.Index(
                fields=["attorney", "status", "due_date", "id"], name="deadline_attorney_due"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date}"

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:  # a new row, or one written whole
            self.attorney_id = self.case.assigned_attorney_id
        super().save(*args, **kwargs)
        Case.next_deadline_refresh(self.case_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Case.next_deadline_refresh(self.case_id)
        return result

    @property
    def time_label(self) -> str:
        if self.due_time is None:
            return ""
        return time_label(self.due_date, self.due_time, self.time_zone or settings.TIME_ZONE)

    @property
    def days_overdue(self) -> int:
        """Days an open deadline is past its date (the firm's today); 0 if not past or
        no longer open."""
        if self.status != DeadlineStatus.OPEN:
            return 0
        return max((today() - self.due_date).days, 0)

    @property
    def source(self) -> str:
        if self.computed:
            return "computed"
        return f"entered by {self.entered_by.get_username()}" if self.entered_by else "entered"


class Reminder(models.Model):
    """A reminder sent for a deadline; the unique key makes a second one impossible."""

    # No index of its own: reminder_once_per_key (deadline, key) serves every lookup by
    # deadline, and a day's run after a bulk load inserts a row per deadline due in 30 days.
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    # "offset:14" (the 14-days-before reminder) or "critical".
    key = models.CharField(max_length=30)
    sent_on = models.DateField()
    email = models.ForeignKey(
        "notifications.Email", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "key"], name="reminder_once_per_key")
        ]

    def __str__(self):
        return f"{self.key} for {self.deadline_id} on {self.sent_on}"


class CalendarFeed(models.Model):
    """An attorney's secret calendar URL; only its hash is kept, revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Note by {self.author} on {self.case}"


class StageChange(models.Model):
    """Who moved a case from one stage to the next, and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    # Why (a decline needs one).
    reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.case}: {self.from_stage} -> {self.to_stage}"


class CaseAccess(models.Model):
    """The audit trail: every view of a case page, every export and every change a user
    makes to a case (detail says what, before and after), and every page opened and change
    made in the admin (cases.admin_audit). Nobody edits it."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed case page"
        DOCUMENT = "document", "Downloaded a document"
        EXPORT = "export", "Exported"
        ASSIGN = "assign", "Assigned"
        STAGE = "stage", "Moved stage"
        PRIORITY = "priority", "Changed triage level"
        CONTACT = "contact", "Changed contact details"
        CONSULTATION = "consultation", "Scheduled consultation"
        MERGE = "merge", "Merged duplicate"
        NOT_DUPLICATE = "not_duplicate", "Marked not the same person"
        CONFLICT_CHECK = "conflict_check", "Ran conflict check"
        RESEND = "resend", "Sent an e-mail again"
        DOCUMENT_REQUEST = "document_request", "Requested documents from the client"
        PREPARATION_LINK = "preparation_link", "Sent the client's secure link"
        CLIENT_OPENED = "client_opened", "Client opened the secure link"
        CLIENT_PREPARED = "client_prepared", "Client answered the questionnaire"
        CLIENT_UPLOAD = "client_upload", "Client uploaded a document"
        I589 = "i589", "Downloaded the I-589 data sheet"
        ADMIN_VIEW = "admin_view", "Viewed in the admin"
        ADMIN_CHANGE = "admin_change", "Changed in the admin"

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="accesses"
    )
    # None for a scheduled export by the management command (detail says so).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "case accesses"
        # Append-only in the database itself (PostgreSQL), not only in the admin.
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            pgtrigger.Trigger(
                name="no_truncate", operation=pgtrigger.Truncate, level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.action} {self.case or ''} at {self.at:%Y-%m-%d %H:%M}"
