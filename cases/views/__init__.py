"""The firm's pages: thin views over cases.selectors and cases.services, one module per
page or family of actions."""

from .alerts import alert_settings
from .bulk import bulk_change
from .case_page import (
    arrival,
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
from .duplicates import compare, conflict_check, merge, not_duplicate
from .export import export, export_job, export_job_download, export_job_status
from .i589 import i589, i589_readiness
from .paralegal import assign, consultation, contact, paralegal_self
from .preparation import document_request_cancel_view, document_requests_add, preparation_link
from .saved_filters import saved_filter_add, saved_filter_remove

__all__ = [
    "alert_settings",
    "arrival", "assign", "calendar", "calendar_link", "claim_translation", "dashboard",
    "deadline_save", "deadlines", "detail", "document", "export", "export_job",
    "export_job_download", "export_job_status", "filing", "note_add",
    "note_edit", "priority", "resend", "stage",
    "consultation", "contact", "paralegal_self",
    "compare", "conflict_check", "merge", "not_duplicate",
    "bulk_change", "saved_filter_add", "saved_filter_remove",
    "i589", "i589_readiness",
    "document_request_cancel_view", "document_requests_add", "preparation_link",
]
