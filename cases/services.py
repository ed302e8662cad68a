"""Writes on the firm's side: cases and their computed deadlines."""

from django.db import transaction
from django.utils import timezone

from .deadlines import one_year_filing_deadline
from .models import Case, Deadline, DeadlineKind
from .triage import assess


@transaction.atomic
def case_open_for_client(*, client, draft=None) -> Case:
    """A new case in stage "new", with a reference and the deadlines the intake gives."""
    case = Case.objects.create(client=client, draft=draft)
    case.reference = Case.reference_for(case.pk, timezone.localdate().year)
    case.save(update_fields=["reference"])
    deadlines_sync_computed(case=case)
    _deadlines_from_intake(case, client)
    case_triage(case=case)
    return case


def case_triage(*, case: Case) -> Case:
    assessment = assess(case)
    case.priority = assessment.level
    case.priority_reasons = assessment.reasons
    case.save(update_fields=["priority", "priority_reasons", "updated_at"])
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
