"""The e-mails a new intake causes: an alert to the attorneys on triage duty, and a
confirmation to the client in their language. Neither holds the client's story or
documents: e-mail is not a safe place for them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from notifications.models import EmailKind
from notifications.outbox import email_queue
from notifications.rendering import email_render

from .models import DeadlineKind
from .timezones import today


def triage_recipients() -> list[str]:
    users = get_user_model().objects.filter(
        groups__name=settings.TRIAGE_GROUP, is_active=True
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True))) or settings.TRIAGE_FALLBACK_EMAILS


def triage_context(case, deadlines=None, duplicates=None) -> dict:
    """What the triage alert shows; a new case passes the deadlines and duplicates it has
    just written, rather than have them read back."""
    client = case.client
    on = today()
    family = list(client.family.all())
    deadlines = {d.kind: d for d in (case.deadlines.all() if deadlines is None else deadlines)}
    return {
        "case": case,
        "client": client,
        "url": settings.SITE_URL.rstrip("/") + case.get_absolute_url(),
        "last_arrival": client.last_arrival,
        "one_year": deadlines.get(DeadlineKind.ONE_YEAR),
        "judge_deadline": deadlines.get(DeadlineKind.COURT_FILING),
        "family_count": len(family),
        "derivative_count": sum(member.derivative_outlook(on)[0] for member in family),
        "duplicates": list(
            case.possible_duplicates.all() if duplicates is None else duplicates
        ),
    }


def intake_notifications_queue(*, case, deadlines=None, duplicates=None) -> None:
    """Queue both e-mails in the caller's transaction (they go out after it commits)."""
    with translation.override("en"):
        context = triage_context(case, deadlines, duplicates)
        subject, text, html = email_render("cases/emails/triage", context)
    for address in triage_recipients():
        email_queue(to=address, subject=subject, text=text, html=html,
                    kind=EmailKind.TRIAGE, case_id=case.pk)  # fmt: skip
    client = case.client
    if client.email:
        context = {
            "case": case,
            "client": client,
            "firm_name": settings.FIRM_NAME,
            "firm_phone": settings.FIRM_PHONE,
            "firm_email": settings.FIRM_EMAIL,
        }
        with translation.override(client.preferred_language):
            subject, text, html = email_render("cases/emails/confirmation", context)
        email_queue(
            to=client.email, subject=subject, text=text, html=html,
            kind=EmailKind.CONFIRMATION, case_id=case.pk, language=client.preferred_language,
        )  # fmt: skip
