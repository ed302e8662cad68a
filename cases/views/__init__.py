"""The firm's pages: thin views over cases.selectors and cases.services, one module per
page or family of actions."""

from .bulk import bulk_change
from .case_page import (
    arrival,
    assign,
    claim_translation,
    deadline_save,
    detail,
    document,
    filing,
    note_add,
    note_edit,
    priority,
    resend,
    stage,
)
from .dashboard import dashboard
from .deadlines import calendar, calendar_link, deadlines
from .export import export
from .saved_filters import saved_filter_add, saved_filter_remove

__all__ = [
    "arrival", "assign", "calendar", "calendar_link", "claim_translation", "dashboard",
    "deadline_save", "deadlines", "detail", "document", "export", "filing", "note_add",
    "note_edit", "priority", "resend", "stage",
    "bulk_change", "saved_filter_add", "saved_filter_remove",
]
