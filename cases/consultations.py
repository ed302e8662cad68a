"""Writes for the consultation: when, with whom and how the firm first meets the client."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from notifications.models import EmailKind
from notifications.outbox import email_queue
from notifications.rendering import email_render

from .models import Case, CaseAccess, Stage
from .services import NotAllowed, _claim_version, access_record, case_move_stage

FIELDS = ("consultation_date", "consultation_time", "consultation_attorney", "consultation_mode")
# What the client is told about; a change of attorney alone is the firm's own business.
CLIENT_FIELDS = ("consultation_date", "consultation_time", "consultation_mode")


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "get_username"):
        return value.get_username()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@transaction.atomic
def consultation_schedule(*, case: Case, on, at=None, attorney=None, mode: str = "", by,
                          version: int) -> Case:  # fmt: skip
    """Set (or move, or with on=None clear) the consultation; audited with before and after.
    When the day, time or mode is set or changes and the client has an e-mail, the client
    gets the confirmation in their language, queued in this transaction."""
    if not by.has_perm("cases.change_case"):
        raise NotAllowed
    _claim_version(case, version)
    before = {name: _shown(getattr(case, name)) for name in FIELDS}
    case.consultation_date, case.consultation_time = on, at if on else None
    case.consultation_attorney, case.consultation_mode = (attorney, mode) if on else (None, "")
    case.save(update_fields=[*FIELDS, "updated_at"])
    changes = {
        name: [before[name], _shown(getattr(case, name))]
        for name in FIELDS if before[name] != _shown(getattr(case, name))
    }  # fmt: skip
    detail = {"changes": changes}
    if on and set(changes) & set(CLIENT_FIELDS) and case.client.email:
        email = consultation_email_queue(case=case, moved=bool(before["consultation_date"]))
        detail["email"] = email.pk
    access_record(case=case, user=by, action=CaseAccess.Action.CONSULTATION, detail=detail)
    return case


@transaction.atomic
def consultation_book(*, case: Case, on, at, attorney, mode: str, by, version: int,
                      move_stage: bool = False) -> Case:  # fmt: skip
    """The case page's booking: the consultation and, if asked, the move to "consultation
    scheduled" (its own stage change), both or neither."""
    consultation_schedule(case=case, on=on, at=at, attorney=attorney, mode=mode, by=by,
                          version=version)  # fmt: skip
    if move_stage and on:
        case_move_stage(case=case, to_stage=Stage.CONSULTATION, by=by, version=case.version)
    return case


def consultation_context(case: Case, *, moved: bool = False) -> dict:
    """What the client's e-mail says: the day, the time on the firm's clock with its zone
    named, how it takes place, and how to reach the firm. No story, no documents."""
    zone = settings.TIME_ZONE
    at = case.consultation_time
    moment = datetime.combine(case.consultation_date, at, ZoneInfo(zone)) if at else None
    client = case.client
    return {
        "case": case,
        "client": client,
        "moved": moved,
        # In the language active when rendered; Ukrainian's own apostrophe, not the
        # typewriter one some locale data has (П'ятниця).
        "weekday": date_format(case.consultation_date, "l").replace("'", "’"),
        "date": date_format(case.consultation_date, "DATE_FORMAT"),
        "time": f"{at:%H:%M}" if at else "",
        "zone_city": zone.rsplit("/", 1)[-1].replace("_", " "),
        "zone_abbr": f"{moment:%Z}" if moment else "",
        "mode": case.consultation_mode,
        "client_phone": client.phone.as_international if client.phone else "",
        "firm_name": settings.FIRM_NAME,
        "firm_phone": settings.FIRM_PHONE,
        "firm_email": settings.FIRM_EMAIL,
        "firm_address": settings.FIRM_ADDRESS,
    }


def consultation_email_queue(*, case: Case, moved: bool = False):
    """The confirmation to the client, in their language, written in the caller's
    transaction (sent by the worker after it commits)."""
    client = case.client
    with translation.override(client.preferred_language):
        subject, text, html = email_render(
            "cases/emails/consultation", consultation_context(case, moved=moved)
        )
    return email_queue(
        to=client.email, subject=subject, text=text, html=html, kind=EmailKind.CONSULTATION,
        case_id=case.pk, language=client.preferred_language,
        keep_body=False,  # the client's name, dropped once sent
    )  # fmt: skip
