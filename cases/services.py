"""Writes on the firm's side: cases and their computed deadlines."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .deadlines import one_year_filing_deadline
from .duplicates import find_possible_duplicates
from .models import Case, CaseAccess, Deadline, DeadlineKind, DeadlineStatus, Note, StageChange
from .notifications import intake_notifications_queue
from .triage import assess
from .workflow import may_move


@transaction.atomic
def case_open_for_client(*, client, draft=None) -> Case:
    """A new case in stage "new", with a reference and the deadlines the intake gives."""
    case = Case.objects.create(client=client, draft=draft)
    case.reference = Case.reference_for(case.pk, timezone.localdate().year)
    case.save(update_fields=["reference"])
    deadlines_sync_computed(case=case)
    _deadlines_from_intake(case, client)
    case.possible_duplicates.set(find_possible_duplicates(client))
    case_triage(case=case)
    intake_notifications_queue(case=case)
    return case


def case_triage(*, case: Case) -> Case:
    """Assess the case again; an attorney's override of the level stays."""
    assessment = assess(case)
    case.assessed_priority = assessment.level
    case.priority_reasons = assessment.reasons
    if not case.priority_overridden:
        case.priority = assessment.level
    case.save(update_fields=["priority", "assessed_priority", "priority_reasons", "updated_at"])
    return case


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
    """Bring the computed deadlines in line with their inputs (entered ones are left alone)."""
    client = case.client
    last_arrival = client.last_arrival
    if last_arrival and not client.unaccompanied_minor:
        Deadline.objects.update_or_create(
            case=case,
            kind=DeadlineKind.ONE_YEAR,
            computed=True,
            defaults={"due_date": one_year_filing_deadline(last_arrival)},
        )
    else:
        # The one-year rule does not apply to unaccompanied children.
        Deadline.objects.filter(case=case, kind=DeadlineKind.ONE_YEAR, computed=True).delete()


def _deadlines_from_intake(case: Case, client) -> None:
    note = "From the client's intake; to be confirmed."
    if client.next_hearing_date:
        court = client.hearing_court
        Deadline.objects.create(
            case=case,
            kind=DeadlineKind.HEARING,
            due_date=client.next_hearing_date,
            note=f"{court}. {note}" if court else note,
        )
    if client.judge_filing_deadline:
        Deadline.objects.create(
            case=case, kind=DeadlineKind.COURT_FILING, due_date=client.judge_filing_deadline,
            note=note,
        )


def case_next_deadline_refresh(*, case_id: int) -> None:
    """Keep the case's copy of its earliest open deadline in step (dashboard sort and filter)."""
    first_open = Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.OPEN)
    first_open = first_open.order_by("due_date", "pk")
    Case.objects.filter(pk=case_id).update(
        next_deadline_date=Subquery(first_open.values("due_date")[:1]),
        next_deadline_kind=Coalesce(Subquery(first_open.values("kind")[:1]), Value("")),
    )


class StaleCase(Exception):
    """Someone else saved the case after this user opened it."""


class NotAllowed(Exception):
    """The change is not allowed for this user or from this stage."""


NOTE_EDIT_WINDOW = timedelta(hours=24)


def _claim_version(case: Case, version: int) -> None:
    """Optimistic locking: the change goes ahead only from the version the user saw."""
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise StaleCase
    case.version = version + 1


@transaction.atomic
def case_move_stage(*, case: Case, to_stage: str, by, version: int) -> Case:
    if not may_move(by, case.stage, to_stage):
        raise NotAllowed
    _claim_version(case, version)
    StageChange.objects.create(case=case, from_stage=case.stage, to_stage=to_stage, by=by)
    case.stage = to_stage
    case.save(update_fields=["stage", "updated_at"])
    return case


@transaction.atomic
def case_assign(*, case: Case, attorney, by, version: int) -> Case:
    if not by.has_perm("cases.assign_case"):
        raise NotAllowed
    _claim_version(case, version)
    case.assigned_attorney = attorney
    case.save(update_fields=["assigned_attorney", "updated_at"])
    return case


@transaction.atomic
def case_override_priority_checked(*, case: Case, level: str, note: str, by, version: int):
    if not by.has_perm("cases.change_case"):
        raise NotAllowed
    _claim_version(case, version)
    return case_override_priority(case=case, level=level, note=note, by=by)


@transaction.atomic
def claim_translate(*, case: Case, by, version: int, translations: dict) -> None:
    if not (by.has_perm("cases.view_narrative") and by.has_perm("intake.change_asylumclaim")):
        raise NotAllowed
    _claim_version(case, version)
    claim = case.client.claim
    for field, text in translations.items():
        setattr(claim, field, text)
    claim.save(update_fields=list(translations))


def note_add(*, case: Case, author, text: str) -> Note:
    if not author.has_perm("cases.add_note"):
        raise NotAllowed
    return Note.objects.create(case=case, author=author, text=text)


def note_edit(*, note: Note, by, text: str) -> Note:
    """Only the author, and only within 24 hours: notes are a record."""
    if note.author_id != by.pk or timezone.now() - note.created_at >= NOTE_EDIT_WINDOW:
        raise NotAllowed
    note.text = text
    note.save(update_fields=["text", "updated_at"])
    return note


def access_record(*, case: Case | None, user, action: str, detail: dict | None = None):
    return CaseAccess.objects.create(case=case, user=user, action=action, detail=detail or {})
