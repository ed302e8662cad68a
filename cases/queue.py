"""The triage queue's sections as plain rules: which open case belongs where, given today.

Sections are disjoint: a new intake is in "New, not yet reviewed" whatever its deadline
(there it is reviewed first), every other open case by its next deadline. The dashboard's
sections, their counts and the `queue` filter (their "see all" lists and exports) all read
these definitions, so a section's count is the length of its list."""

from datetime import date, timedelta

from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

from .models import Document, Stage

ENDED = (Stage.CLOSED, Stage.DECLINED)
WEEK, MONTH = 7, 30

SECTIONS = [
    ("new", "New, not yet reviewed"),
    ("week", f"Due in the next {WEEK} days"),
    ("month", f"Due in {WEEK + 1} to {MONTH} days"),
    ("overdue", "Overdue"),
]


def open_case_q() -> Q:
    """A case the firm still works on: not closed, declined, or merged into another."""
    return ~Q(stage__in=ENDED) & Q(merged_into__isnull=True)


def section_q(section: str, today: date) -> Q:
    """The condition of one section (on open cases)."""
    reviewed = ~Q(stage=Stage.NEW)
    if section == "new":
        return Q(stage=Stage.NEW)
    if section == "week":
        return reviewed & Q(next_deadline_date__range=(today, today + timedelta(days=WEEK)))
    if section == "month":
        return reviewed & Q(next_deadline_date__range=(
            today + timedelta(days=WEEK + 1), today + timedelta(days=MONTH)
        ))  # fmt: skip
    if section == "overdue":
        return reviewed & Q(next_deadline_date__lt=today)
    raise ValueError(section)


def deadline_bucket(today: date):
    """Where a next deadline falls ("overdue", "week", "month" or ""), as one SQL expression
    on one column: cheap to group 100k cases by. section_of() turns it into the section."""
    return Case(
        When(next_deadline_date__lt=today, then=Value("overdue")),
        When(next_deadline_date__lte=today + timedelta(days=WEEK), then=Value("week")),
        When(next_deadline_date__lte=today + timedelta(days=MONTH), then=Value("month")),
        default=Value(""), output_field=CharField(),
    )  # fmt: skip


def section_of(stage: str, bucket: str) -> str:
    """The section of an open case from its stage and deadline bucket (as section_q)."""
    return "new" if stage == Stage.NEW else bucket


# Documents the firm waits for once it represents the client and before it files.
AWAITING_DOCUMENTS_STAGES = (Stage.RETAINED, Stage.PREPARING)


def awaiting_documents_q() -> Q:
    """Retained or preparing, and nothing uploaded yet by or for the client."""
    return Q(stage__in=AWAITING_DOCUMENTS_STAGES) & ~Exists(
        Document.objects.filter(client_id=OuterRef("client_id"))
    )


# Built-in saved filters every user has: (name, dashboard query).
PRESETS = [
    ("My cases", "attorney=mine"),
    ("My critical", "attorney=mine&priority=critical"),
    ("Awaiting documents", "awaiting_documents=on"),
]
