"""The e-mails a new intake causes: an alert to the attorneys on triage duty (at once, or a
line in their digest: cases.alerts), and a confirmation to the client in their language.
None holds the client's story or documents: e-mail is not a safe place for them.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from notifications.models import EmailKind
from notifications.outbox import email_queue, email_resend
from notifications.rendering import email_render

from .alerts import digest_entries_add, intake_alert_plan, triage_duty
from .models import DeadlineKind
from .timezones import today
from .triage import facts_of


def triage_recipients() -> list[str]:
    """The addresses on triage duty (or the fallback ones), for the deadline reminders."""
    return list(triage_duty())


def triage_context(case, deadlines=None, duplicates=None) -> dict:
    """What the triage alert shows; a new case passes the deadlines and duplicates it has
    just written, rather than have them read back."""
    client = case.client
    deadlines = list(case.deadlines.all() if deadlines is None else deadlines)
    return {
        "case": case,
        "client": client,
        "url": settings.SITE_URL.rstrip("/") + case.get_absolute_url(),
        "key_facts": key_facts(case, deadlines),
        "duplicates": list(
            case.possible_duplicates.all() if duplicates is None else duplicates
        ),
    }


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "unknown"


def key_facts(case, deadlines) -> list[str]:
    """The alert's facts, one line each, as the attorney on duty needs them: who, the court
    posture and its dates, the clocks (one-year, parole or TPS), earlier applications, and
    the family the application can include. Never the story, never a document."""
    client, claim = case.client, getattr(case.client, "claim", None)
    facts = facts_of(case, deadlines)
    by_kind = {d.kind: d for d in deadlines}
    native = f" ({client.full_name_native})" if client.full_name_native else ""
    interpreter = ", interpreter needed" if client.interpreter_needed else ""
    return [
        f"Client: {client.given_names} {client.family_name}{native}",
        f"Nationality: {client.nationality.name}; language: "
        f"{client.get_preferred_language_display()}{interpreter}",
        "Detained: " + (f"yes, {client.detention_facility}" if client.detained else "no"),
        *_court_posture(client, facts),
        *_clocks(client, claim, facts, by_kind.get(DeadlineKind.ONE_YEAR)),
        *_family_lines(client, claim),
        f"Contact: {client.get_preferred_contact_display()}",
    ]


def _court_posture(client, facts) -> list[str]:
    if client.in_removal_proceedings:
        hearing = (f", next hearing {_day(facts.next_hearing_date)}"
                   + (f" at {facts.hearing_court}" if facts.hearing_court else "")
                   if facts.next_hearing_date else ", no hearing date known")  # fmt: skip
        nta = f" (NTA {_day(client.notice_to_appear_date)})" if client.notice_to_appear_date else ""
        lines = [f"In removal proceedings: yes{nta}{hearing}"]
    else:
        lines = ["In removal proceedings: no"]
    if facts.judge_filing_deadline:
        lines.append(f"Judge's filing deadline: {_day(facts.judge_filing_deadline)} "
                     "(missing it abandons the application)")  # fmt: skip
    if client.missed_hearing_on:
        lines.append(f"Missed a hearing on {_day(client.missed_hearing_on)}: motion to reopen "
                     f"by {_day(facts.motion_to_reopen_by)}" if facts.motion_to_reopen_by
                     else f"Missed a hearing on {_day(client.missed_hearing_on)}")  # fmt: skip
    if client.prior_removal_order:
        lines.append("Prior removal order: yes")
    if facts.next_ice_check_in:
        lines.append(f"ICE check-ins: next on {_day(facts.next_ice_check_in)}")
    return lines


def _clocks(client, claim, facts, one_year) -> list[str]:
    lines = [f"Last arrival: {_day(facts.last_arrival)}; one-year deadline: "
             + (f"{_day(one_year.due_date)} ({one_year.get_status_display().lower()})"
                if one_year else "does not apply")]  # fmt: skip
    if client.left_country_on:
        returned = "; went back since" if client.returned_since_leaving else ""
        lines.append(f"Left their country: {_day(client.left_country_on)}{returned}")
    if facts.status_ends_on:
        lines.append(f"{facts.lawful_status} until {_day(facts.status_ends_on)}")
    if claim and claim.filed_on:
        lines.append(f"Asylum application filed: {_day(claim.filed_on)} "
                     f"({claim.get_filing_type_display() or 'type unknown'})")  # fmt: skip
    if client.prior_asylum_application:
        outcome = client.get_prior_asylum_outcome_display() or "outcome not given"
        filed = client.prior_asylum_filed_on
        when = f"filed {_day(filed)}; " if filed else ""
        lines.append(f"Earlier asylum application: {when}{outcome.lower()}")
    return lines


def _family_lines(client, claim) -> list[str]:
    """The derivatives by the one rule (cases.family), and each child about to turn 21."""
    on, filed_on = today(), claim.filed_on if claim else None
    family = list(client.family.all())
    outlooks = [(member, *member.derivative_outlook(on, filed_on)) for member in family]
    lines = [f"Family members: {len(family)}, of whom "
             f"{sum(eligible for _m, eligible, _t in outlooks)} can be derivatives"]  # fmt: skip
    lines += [f"{member.given_names} turns 21 on {_day(turns_21)}: file before then so that "
              "this child stays included" for member, _e, turns_21 in outlooks if turns_21]
    return lines


def intake_notifications_queue(*, case, deadlines=None, duplicates=None) -> None:
    """Queue the e-mails in the caller's transaction (they go out after it commits): the
    triage alert to those on duty who get this intake at once, the intake's line in the
    others' next digest (cases.alerts), and the client's confirmation."""
    at_once, in_digest = intake_alert_plan(case.priority)
    if at_once:
        with translation.override("en"):
            context = triage_context(case, deadlines, duplicates)
            subject, text, html = email_render("cases/emails/triage", context)
    for address in at_once:
        # The body names the client's places and dates: kept only until it is sent (the
        # subject, recipient and status stay for the case page).
        email_queue(to=address, subject=subject, text=text, html=html,
                    kind=EmailKind.TRIAGE, case_id=case.pk, keep_body=False)  # fmt: skip
    digest_entries_add(case=case, addresses=in_digest)
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


@transaction.atomic
def email_send_again(*, case, email) -> bool:
    """Staff's "Send again". A triage alert or consultation e-mail whose body was dropped
    once sent (keep_body=False) is written afresh from the case as it is now, as a new row;
    any other goes again as stored. False when there is nothing to send."""
    if email.body_text or email.body_html or email.late_body:
        email_resend(email=email)
        return True
    if email.kind == EmailKind.TRIAGE:
        with translation.override("en"):
            subject, text, html = email_render("cases/emails/triage", triage_context(case))
        email_queue(to=email.to, subject=subject, text=text, html=html, kind=EmailKind.TRIAGE,
                    case_id=case.pk, keep_body=False)  # fmt: skip
        return True
    if email.kind == EmailKind.CONSULTATION and case.client.email and case.consultation_date:
        from .consultations import consultation_email_queue  # via services, it imports us

        consultation_email_queue(case=case)
        return True
    return False
