"""Reads for the case page's preparation panel: where the client's secure link stands, each
document request's state, and what the client did through the link (CaseAccess CLIENT_*)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from notifications.models import Email, EmailKind

from .models import CaseAccess, DocumentRequest, PreparationLink

CLIENT_ACTIONS = (CaseAccess.Action.CLIENT_OPENED, CaseAccess.Action.CLIENT_UPLOAD,
                  CaseAccess.Action.CLIENT_PREPARED)  # fmt: skip
# How each state reads on the case page.
LINK_STATES = {
    "sent": "Sent, not opened yet",
    "opened": "Opened, second check not passed yet",
    "verified": "In use on the client's device",
    "expired": "Expired",
    "replaced": "Replaced by a newer link",
    "spent": "Spent: too many wrong answers",
}


def link_state(link: PreparationLink, *, opened: bool, now: datetime) -> str:
    """One word for where a link stands (a key of LINK_STATES)."""
    if link.failures >= settings.PREPARATION_CHECK_TRIES:
        return "spent"
    if link.revoked_at is not None:
        return "replaced"
    if link.expires_at <= now:
        return "expired"
    if link.verified_at is not None:
        return "verified"
    return "opened" if opened else "sent"


def request_state(document_request: DocumentRequest) -> str:
    if document_request.fulfilled_at:
        return "received"
    if document_request.cancelled_at:
        return "cancelled"
    return "waiting"


@dataclass(frozen=True)
class LinkRow:
    link: PreparationLink
    state: str
    label: str
    email: Email | None  # the e-mail that carries it: queued, sent or failed
    first_opened_at: datetime | None


def case_preparation(case) -> dict:
    """The newest links (the live one first), the document requests, the client's actions."""
    now = timezone.now()
    links = list(case.preparation_links.select_related("created_by")[:5])
    openings = list(
        case.accesses.filter(action__in=CLIENT_ACTIONS).order_by("-at")[:50]
    )
    first_opened = {}
    for access in reversed(openings):
        first_opened.setdefault(access.detail.get("link"), access.at)
    emails = {
        email.late_body.get("link_id"): email
        for email in Email.objects.filter(
            case_id=case.pk, kind=EmailKind.PREPARATION_LINK
        ).order_by("pk")
    }
    rows = []
    for link in links:
        state = link_state(link, opened=link.pk in first_opened, now=now)
        rows.append(LinkRow(link, state, LINK_STATES[state], emails.get(link.pk),
                            first_opened.get(link.pk)))  # fmt: skip
    requests = list(case.document_requests.select_related("requested_by", "document"))
    return {
        "links": rows,
        "document_requests": [(r, request_state(r)) for r in requests],
        "waiting_kinds": {r.kind for r in requests if request_state(r) == "waiting"},
        "client_actions": openings,
    }
