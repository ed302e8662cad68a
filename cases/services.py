"""Writes on the firm's side: cases and their computed deadlines."""

from django.db import transaction
from django.utils import timezone

from .deadlines import one_year_filing_deadline
from .duplicates import find_possible_duplicates
from .models import Case, Deadline, DeadlineKind
from .notifications import intake_notifications_queue
from .triage import assess


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
