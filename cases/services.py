"""Writes on the firm's side: cases and their computed deadlines."""

import hashlib
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Concat, Left, Length, Trim
from django.utils import timezone, translation

from .deadlines import MOTION_TO_REOPEN_DAYS, computed_deadlines, motion_to_reopen_due
from .duplicates import find_possible_duplicates
from .emails import intake_notifications_queue
from .models import (
    AsylumClaim,
    CalendarFeed,
    Case,
    CaseAccess,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Document,
    Entry,
    FamilyMember,
    Note,
    Stage,
    StageChange,
)
from .timezones import today
from .triage import assess, facts_of, one_year_exempt
from .workflow import REASON_MAX_LENGTH, may_move, needs_reason


@transaction.atomic(savepoint=False)  # all or nothing; inside the submit's, no savepoint
def client_open_case(*, client, entries, family, claim, document_ids=()) -> Case:
    """A new client's records from their intake, and their case: the unsaved Client, its
    entries, family members and claim are written, the uploaded documents handed over,
    and the case opened (case_open_for_client)."""
    client.save()
    for row in (*entries, *family):
        row.client = client
    # Inserted together: the case opened below works out its deadlines from all of them.
    Entry.objects.bulk_create(entries)
    for member in family:
        member.set_derived()  # what save() would do; bulk_create does not call it
    FamilyMember.objects.bulk_create(family)
    claim.client = client
    claim.save()
    if document_ids:
        Document.objects.filter(pk__in=list(document_ids), client=None).update(client=client)
    return case_open_for_client(client=client)


@transaction.atomic(savepoint=False)
def case_open_for_client(*, client) -> Case:
    """A new case in stage "new", with a reference, the deadlines the intake gives, its
    triage and its e-mails.

    Everything that follows from the intake is worked out in memory first and each table
    written once: this runs for every submit, so a surge of intakes pays for it.
    """
    # The deadlines, triage and e-mails below read the entries, the triage e-mail the family.
    prefetch_related_objects([client], "entries", "family")
    case = Case(client=client)
    deadlines = [*computed_deadlines_unsaved(case), *_deadlines_from_intake(case, client)]
    next_deadline_set(case, deadlines)
    _apply_assessment(case, assess(case, deadlines=deadlines))
    case.save()
    case.reference = Case.reference_for(case.pk, today().year)
    case.save(update_fields=["reference"])
    # Inserted together, without a save() each: the next deadline is already set above.
    for deadline in deadlines:
        deadline.attorney_id = case.assigned_attorney_id
    Deadline.objects.bulk_create(deadlines)
    duplicates = find_possible_duplicates(client)
    case.possible_duplicates.add(*duplicates)
    intake_notifications_queue(case=case, deadlines=deadlines, duplicates=duplicates)
    return case


def case_triage(*, case: Case) -> Case:
    """Assess the case again from its facts and open deadlines as they are now; an
    attorney's override of the level stays. Every service that changes a fact or a deadline
    calls it, and the daily run (cases_retriage) for the passage of time."""
    _apply_assessment(case, assess(case))
    case.save(update_fields=["priority", "assessed_priority", "priority_reasons", "updated_at"])
    return case


TRIAGE_FIELDS = ["priority", "assessed_priority", "priority_reasons"]
ENDED = (Stage.CLOSED, Stage.DECLINED)


def cases_retriage(*, today, batch: int = 1000) -> int:
    """The daily run: every case the firm still works on assessed again for `today`
    (a deadline comes nearer, an arrival is no longer recent). Returns how many changed."""
    cases = (
        Case.objects.exclude(stage__in=ENDED)
        .select_related("client__claim", "client__hearing_court")
        .prefetch_related("client__entries", "deadlines__court")
        .order_by("pk")
    )
    changed, total = [], 0
    for case in cases.iterator(chunk_size=batch):
        before = [getattr(case, name) for name in TRIAGE_FIELDS]
        _apply_assessment(case, assess(case, today))
        if [getattr(case, name) for name in TRIAGE_FIELDS] != before:
            changed.append(case)
        if len(changed) == batch:  # written as it goes: a million cases never sit in memory
            Case.objects.bulk_update(changed, TRIAGE_FIELDS)
            total, changed = total + len(changed), []
    Case.objects.bulk_update(changed, TRIAGE_FIELDS)
    return total + len(changed)


def _apply_assessment(case: Case, assessment) -> None:
    case.assessed_priority = assessment.level
    case.priority_reasons = assessment.reasons
    if not case.priority_overridden:
        case.priority = assessment.level


def case_override_priority(*, case: Case, level: str, note: str, by) -> Case:
    """An attorney sets the level by hand, with a note saying why; None level undoes it."""
    if level:
        case.priority = level
        case.priority_override_note = note
        case.priority_overridden_by = by
        case.priority_overridden_at = timezone.now()
    else:
        case.priority = case.assessed_priority
        case.priority_override_note = ""
        case.priority_overridden_by = None
        case.priority_overridden_at = None
    case.save()
    return case


def deadlines_sync_computed(*, case: Case) -> None:
    """Bring the computed deadlines in line with their inputs (entered ones are left alone).

    Every change of an input (arrivals, filing date, the client's facts) calls this; the
    inputs are read afresh, as the caller's copy may hold older related rows."""
    case = Case.objects.select_related("client__claim").get(pk=case.pk)
    wanted = _computed_deadlines(case)
    existing = {d.kind: d for d in case.deadlines.filter(computed=True)}
    for kind, (due, status) in wanted.items():
        deadline = existing.pop(kind, None) or Deadline(case=case, kind=kind, computed=True)
        deadline.due_date = due
        if status:
            deadline.status = status
        elif deadline.status in {DeadlineStatus.MET, DeadlineStatus.MISSED} and kind == "one_year":
            deadline.status = DeadlineStatus.OPEN  # the filing date that closed it was removed
        deadline.save()
    # No longer computable (e.g. now an unaccompanied minor, or filing date removed).
    for deadline in existing.values():
        deadline.delete()
    if case.stage in ENDED:
        _deadlines_end(case)  # a filing recorded on an ended case chases nobody either
    case_triage(case=case)


def _computed_deadlines(case: Case, on=None) -> dict:
    client = case.client
    claim = getattr(client, "claim", None)
    return computed_deadlines(
        last_arrival=client.last_arrival,
        unaccompanied_minor=one_year_exempt(facts_of(case, deadlines=[]), on or today()),
        filed_on=claim.filed_on if claim else None,
        stopped_days=case.ead_clock_stopped_days,
    )


def computed_deadlines_unsaved(case: Case, on=None) -> list[Deadline]:
    """The case's computed deadlines as unsaved rows, for a case written in one go (a new
    intake, the demo seed)."""
    return [
        Deadline(case=case, kind=kind, computed=True, due_date=due,
                 status=status or DeadlineStatus.OPEN)
        for kind, (due, status) in _computed_deadlines(case, on).items()
    ]  # fmt: skip


def next_deadline_set(case: Case, deadlines) -> None:
    """Case.next_deadline_refresh in memory, for deadlines not saved yet: the first open one
    by date, then as listed."""
    first = min((d for d in deadlines if d.status == DeadlineStatus.OPEN),
                key=lambda d: d.due_date, default=None)  # fmt: skip
    case.next_deadline_date, case.next_deadline_kind = (
        (first.due_date, first.kind) if first else (None, "")
    )


# The note on a deadline the client gave; the attorney confirms it.
INTAKE_NOTE = "From the client's intake; to be confirmed."


def _deadlines_from_intake(case: Case, client) -> list[Deadline]:
    note = INTAKE_NOTE
    deadlines = []
    if client.next_hearing_date:
        court = client.hearing_court
        deadlines.append(Deadline(
            case=case,
            kind=DeadlineKind.HEARING,
            due_date=client.next_hearing_date,
            court=court,
            time_zone=court.time_zone if court else "",
            note=note,
        ))  # fmt: skip
    dated = (
        (DeadlineKind.COURT_FILING, client.judge_filing_deadline, note),
        (DeadlineKind.MISSED_HEARING, motion_to_reopen_due(client.missed_hearing_on),
         f"Hearing missed on {client.missed_hearing_on:%Y-%m-%d}: motion to reopen an "
         f"in-absentia order within {MOTION_TO_REOPEN_DAYS} days. {note}"
         if client.missed_hearing_on else ""),
        (DeadlineKind.ICE_CHECK_IN, client.next_ice_check_in, note),
    )  # fmt: skip
    deadlines += [Deadline(case=case, kind=kind, due_date=due, note=text)
                  for kind, due, text in dated if due]  # fmt: skip
    return deadlines


class StaleCase(Exception):
    """Someone else saved the case after this user opened it."""


class NotAllowed(Exception):
    """The change is not allowed for this user or from this stage. A message, when given,
    says what would make it allowed (views show it instead of the generic refusal)."""


class ReasonRequired(NotAllowed):
    """A move that must say why (a decline) came without a reason."""


class CaseMerged(NotAllowed):
    """The case was merged into another (same person): changes are made there."""


NOTE_EDIT_WINDOW = timedelta(hours=24)


def _claim_version(case: Case, version: int) -> None:
    """Optimistic locking: the change goes ahead only from the version the user saw."""
    updated = Case.objects.filter(pk=case.pk, version=version, merged_into=None).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        _refuse_merged(Case.objects.only("merged_into").get(pk=case.pk))
        raise StaleCase
    case.version = version + 1


@transaction.atomic
def case_move_stage(*, case: Case, to_stage: str, by, version: int, filed_on=None,
                    filing_type: str = "", reason: str = "") -> Case:  # fmt: skip
    """Move the case on, in its stage history. A move to "filed" records the filing date and
    type in the same transaction (case_record_filing's writes): a case is filed by its
    filing, which meets the one-year deadline and starts the EAD clock. Ending a case closes
    its open deadlines; taking it back reopens the computed ones."""
    from_stage = case.stage
    if not may_move(by, from_stage, to_stage):
        raise NotAllowed
    reason = reason.strip()
    if needs_reason(to_stage) and not reason:
        # Bulk moves and any other caller too: no case is declined without a word why.
        raise ReasonRequired("A case is declined only with a reason: say why.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValueError(f"A stage change reason is at most {REASON_MAX_LENGTH} characters.")
    filing = to_stage == Stage.FILED
    if filing and not may_record_filing(by):
        raise NotAllowed
    if filing and not (filed_on and filing_type):
        raise ValueError("A move to filed needs the filing date and type.")
    _claim_version(case, version)
    StageChange.objects.create(case=case, from_stage=from_stage, to_stage=to_stage, by=by,
                               reason=reason)  # fmt: skip
    access_record(case=case, user=by, action=CaseAccess.Action.STAGE,
                  detail={"from": from_stage, "to": to_stage})  # fmt: skip
    case.stage = to_stage
    case.save(update_fields=["stage", "updated_at"])
    if filing:
        _filing_write(case, filed_on=filed_on, filing_type=filing_type,
                      stopped_days=case.ead_clock_stopped_days)  # fmt: skip
    if to_stage in ENDED:
        _deadlines_end(case)
    elif from_stage in ENDED:
        _deadlines_reopen(case, ended=from_stage)
    return case


def ended_reason(stage: str) -> str:
    # In English whatever language is active: reopening finds the reason by its words.
    with translation.override("en"):
        return f"Case {Stage(stage).label.lower()}."


def deadlines_attorney_sync(*, case_ids) -> int:
    """Each of these cases' deadlines carries the case's attorney again (Deadline.attorney,
    which an attorney's upcoming deadlines are read by); every write that changes a case's
    attorney or moves deadlines between cases calls it. Returns the rows changed."""
    attorney = Case.objects.filter(pk=OuterRef("case_id")).values("assigned_attorney_id")[:1]
    # A case has a handful of deadlines: rewriting them all is cheaper than finding which.
    return Deadline.objects.filter(case_id__in=list(case_ids)).update(
        attorney_id=Subquery(attorney)
    )


def _deadlines_end(case: Case) -> None:
    """The firm no longer represents the client: no reminder, alert or calendar entry
    chases their open deadlines any more, and the note says why."""
    reason = ended_reason(case.stage)
    case.deadlines.filter(status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.NOT_APPLICABLE, note=Trim(Concat(F("note"), Value(f" {reason}")))
    )
    Case.next_deadline_refresh(case.pk)


def _deadlines_reopen(case: Case, *, ended: str) -> None:
    """The firm takes an ended case back: the computed deadlines its ending closed are open
    again, without the reason it added to their note, and then follow their inputs as ever
    (a one-year deadline a filing met is met, one that passed meanwhile is overdue); the next
    deadline and triage follow (deadlines_sync_computed).

    Deadlines an attorney entered (hearings, court-set deadlines, interviews) stay closed: a
    hearing set while the firm was not on the case may have been moved or vacated since, so
    the attorney re-enters one that still stands rather than the app chasing a stale date.
    """
    reason = ended_reason(ended)
    case.deadlines.filter(
        computed=True, status=DeadlineStatus.NOT_APPLICABLE, note__endswith=reason
    ).update(
        status=DeadlineStatus.OPEN, note=Trim(Left(F("note"), Length(F("note")) - len(reason)))
    )
    deadlines_sync_computed(case=case)


def _username(user) -> str:
    return user.get_username() if user else ""


@transaction.atomic
def case_override_priority_checked(*, case: Case, level: str, note: str, by, version: int):
    if not by.has_perm("cases.change_case"):
        raise NotAllowed
    _claim_version(case, version)
    before = case.priority
    case_override_priority(case=case, level=level, note=note, by=by)
    access_record(case=case, user=by, action=CaseAccess.Action.PRIORITY,
                  detail={"level": [before, case.priority]})  # fmt: skip
    return case


@transaction.atomic
def claim_translate(*, case: Case, by, version: int, translations: dict) -> None:
    if not (by.has_perm("cases.view_narrative") and by.has_perm("cases.change_asylumclaim")):
        raise NotAllowed
    _claim_version(case, version)
    claim = case.client.claim
    for field, text in translations.items():
        setattr(claim, field, text)
    claim.save(update_fields=list(translations))


def _refuse_merged(case: Case) -> None:
    """A merged case takes no change: its changes are made on the case it went into."""
    if case.merged_into_id:
        into = Case.objects.filter(pk=case.merged_into_id).values_list("reference", flat=True)
        raise CaseMerged(f"This case was merged into {into.first()}: make changes there.")


def note_add(*, case: Case, author, text: str) -> Note:
    if not author.has_perm("cases.add_note"):
        raise NotAllowed
    _refuse_merged(case)
    return Note.objects.create(case=case, author=author, text=text)


def note_edit(*, note: Note, by, text: str) -> Note:
    """Only the author, and only within 24 hours: notes are a record."""
    if note.author_id != by.pk or timezone.now() - note.created_at >= NOTE_EDIT_WINDOW:
        raise NotAllowed
    note.text = text
    note.save(update_fields=["text", "updated_at"])
    return note


# What every audit row written inside an `audit_detail` block adds to its detail.
_audit_extra: ContextVar[dict | None] = ContextVar("audit_extra", default=None)


@contextmanager
def audit_detail(**extra):
    """Mark the audit rows the single-case services write here (a bulk action: "bulk")."""
    token = _audit_extra.set({**(_audit_extra.get() or {}), **extra})
    try:
        yield
    finally:
        _audit_extra.reset(token)


def access_record(*, case: Case | None, user, action: str, detail: dict | None = None):
    detail = {**(detail or {}), **(_audit_extra.get() or {})}
    return CaseAccess.objects.create(case=case, user=user, action=action, detail=detail)


def deadline_save(*, case: Case, form, by) -> Deadline:
    """An attorney's deadline: who entered it, and the court's time zone for a hearing."""
    if not by.has_perm("cases.change_deadline"):
        raise NotAllowed
    _refuse_merged(case)
    deadline = form.save(commit=False)
    if deadline.computed:
        raise NotAllowed  # computed deadlines follow their inputs, never a hand edit
    deadline.case = case
    if deadline.pk is None:
        deadline.entered_by = by
    deadline.time_zone = deadline.court.time_zone if deadline.court else ""
    deadline.save()
    case_triage(case=case)
    return deadline


@transaction.atomic
def case_record_filing(*, case: Case, filed_on, filing_type: str, stopped_days: int, by,
                       version: int) -> Case:  # fmt: skip
    """The filing date and the EAD clock; the computed deadlines follow."""
    if not may_record_filing(by):
        raise NotAllowed
    _claim_version(case, version)
    _filing_write(case, filed_on=filed_on, filing_type=filing_type, stopped_days=stopped_days)
    return case


def may_record_filing(by) -> bool:
    """The filing date and EAD clock (the case page's filing form and the move to filed)."""
    return by.has_perm("cases.change_case") and by.has_perm("cases.change_asylumclaim")


def _filing_write(case: Case, *, filed_on, filing_type: str, stopped_days: int) -> None:
    """The filing on the claim and the EAD clock on the case, then the computed deadlines
    and triage (deadlines_sync_computed); the caller checks the user and the version."""
    claim, _created = AsylumClaim.objects.get_or_create(client=case.client)
    case.client.claim = claim  # the case may carry an older copy of the claim
    claim.filed_on, claim.filing_type = filed_on, filing_type
    case.ead_clock_stopped_days = stopped_days
    case.save(update_fields=["ead_clock_stopped_days", "updated_at"])
    claim.save(update_fields=["filed_on", "filing_type"])
    deadlines_sync_computed(case=case)


@transaction.atomic
def case_correct_arrival(*, case: Case, entry, day, by, version: int) -> Case:
    if not by.has_perm("cases.change_entry"):
        raise NotAllowed
    _claim_version(case, version)
    entry.date = day
    entry.save(update_fields=["date"])
    deadlines_sync_computed(case=case)  # the one-year deadline follows the last arrival
    return case


def calendar_feed_issue(*, user) -> str:
    """A new secret calendar URL token for this user; any earlier one stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": _hash(token)})
    return token


def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_user(*, token: str):
    feed = CalendarFeed.objects.filter(token_hash=_hash(token)).select_related("user").first()
    return feed.user if feed and feed.user.is_active else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def export_record(*, user, params, kind: str, rows: int, via: str = "web",
                  job: int | None = None) -> CaseAccess:  # fmt: skip
    """Who exported what, when, with which filters, in which format, how many rows; `job`:
    the background export it asked for (cases.export_jobs)."""
    filters = {k: params.getlist(k) for k in params if k != "format"}
    detail = {"format": kind, "filters": filters, "rows": rows, "via": via}
    if job is not None:
        detail["job"] = job
    return CaseAccess.objects.create(
        case=None, user=user, action=CaseAccess.Action.EXPORT, detail=detail
    )
