"""The firm's lasting records: who the client is (clients.py) and the firm's work on the
case (casework.py)."""

from .alerts import DigestEntry
from .casework import (
    COMPUTED_KINDS,
    CalendarFeed,
    Case,
    CaseAccess,
    ConsultationMode,
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
from .exports import ExportJob
from .preparation import (
    DocumentRequest,
    Employment,
    PreparationLink,
    Residence,
    Schooling,
    link_token_hash,
)
from .tally import CaseTally
from .workspace import NotDuplicate, SavedFilter, StaffSettings, TriageAlerts

__all__ = [
    "COMPUTED_KINDS", "LONG_TEXT", "AsylumClaim", "CalendarFeed", "Case", "CaseAccess",
    "CaseTally",
    "Client", "ConsultationMode", "Court", "Deadline", "DeadlineKind", "DeadlineStatus",
    "DigestEntry", "ExportJob",
    "Document", "Entry", "FamilyMember", "HearingType", "Note", "NotDuplicate", "Priority",
    "Reminder", "SavedFilter", "Stage", "StageChange", "StaffSettings", "TriageAlerts",
    "a_number_key", "DocumentRequest", "Employment", "PreparationLink", "Residence",
    "Schooling", "link_token_hash",
]
