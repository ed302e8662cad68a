"""The e-mails a new intake causes: an alert to the attorneys on triage duty, and a
confirmation to the client in their language. Neither holds the client's story or
documents: e-mail is not a safe place for them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from intake.family import derivative_eligible
from intake.validators import today

from .models import DeadlineKind, EmailKind
from .outbox import email_queue


def triage_recipients() -> list[str]:
    users = get_user_model().objects.filter(
        groups__name=settings.TRIAGE_GROUP, is_active=True
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True))) or settings.TRIAGE_FALLBACK_EMAILS


def _render(template: str, context: dict) -> tuple[str, str, str]:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    return (
        " ".join(subject.split()),
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


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
        "family_count": len(family),
        "derivative_count": sum(
            derivative_eligible(m.relationship, m.date_of_birth, m.marital_status, on)
            for m in family
        ),
        "duplicates": list(
            case.possible_duplicates.all() if duplicates is None else duplicates
        ),
    }


def intake_notifications_queue(*, case, deadlines=None, duplicates=None) -> None:
    """Queue both e-mails in the caller's transaction (they go out after it commits)."""
    with translation.override("en"):
        context = triage_context(case, deadlines, duplicates)
        subject, text, html = _render("cases/emails/triage", context)
    for address in triage_recipients():
        email_queue(to=address, subject=subject, text=text, html=html,
                    kind=EmailKind.TRIAGE, case=case)  # fmt: skip
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
            subject, text, html = _render("intake/emails/confirmation", context)
        email_queue(
            to=client.email, subject=subject, text=text, html=html,
            kind=EmailKind.CONFIRMATION, case=case, language=client.preferred_language,
        )  # fmt: skip
