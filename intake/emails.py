"""The resume-link e-mail, in the client's own language, through the outbox.

The link's token is minted only when the worker sends the e-mail (notifications.outbox
late_body), so the raw token is never stored: the draft keeps its hash, the e-mail row
only the draft's id.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.models import EmailKind
from notifications.outbox import email_queue, late_body
from notifications.rendering import email_render

from .models import IntakeDraft

TEMPLATE = "intake/emails/resume_link"


def resume_link_queue(*, draft: IntakeDraft, to: str) -> None:
    """Queue the e-mail in the caller's transaction; it goes out once that commits."""
    with translation.override(draft.language):
        subject, _text, _html = email_render(TEMPLATE, _context(link=""), html=False)
    email_queue(to=to, subject=subject, kind=EmailKind.RESUME_LINK, language=draft.language,
                late={"draft_id": draft.pk})  # fmt: skip


@late_body(EmailKind.RESUME_LINK)
def resume_link_body(ids: dict) -> tuple[str, str, str] | None:
    """A new link for the draft (any earlier one stops working), or None once submitted."""
    draft = IntakeDraft.objects.filter(pk=ids.get("draft_id"), submitted_at=None).first()
    if draft is None:
        return None
    token = draft.issue_resume_token()
    # Built from SITE_URL, never from a request's Host.
    link = settings.SITE_URL.rstrip("/") + reverse("intake:resume", args=[token])
    with translation.override(draft.language):
        return email_render(TEMPLATE, _context(link=link))


def _context(*, link: str) -> dict:
    return {"link": link, "days": settings.INTAKE_RESUME_DAYS}
