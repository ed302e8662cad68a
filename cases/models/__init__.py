"""The firm's lasting records: who the client is (clients.py) and the firm's work on the
case (casework.py)."""

from .casework import (
    COMPUTED_KINDS,
    CalendarFeed,
    Case,
    CaseAccess,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    HearingType,
    Note,
    Priority,
    Reminder,
    Stage,
    StageChange,
)
from .clients import (
    LONG_TEXT,
    AsylumClaim,
    Client,
    Court,
    Document,
    Entry,
    FamilyMember,
    a_number_key,
)

__all__ = [
    "COMPUTED_KINDS", "LONG_TEXT", "AsylumClaim", "CalendarFeed", "Case", "CaseAccess",
    "Client", "Court", "Deadline", "DeadlineKind", "DeadlineStatus", "Document", "Entry",
    "FamilyMember", "HearingType", "Note", "Priority", "Reminder", "Stage", "StageChange",
    "a_number_key",
]
