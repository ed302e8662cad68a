"""Bulk triage from the dashboard: one change applied to many cases, all or nothing.

Each case goes through the same single-case service as from its own page (case_assign_team,
case_move_stage, consultation_schedule), so it is checked and audited exactly alike; the
audit rows say "bulk". Every row is checked before anything is written, so a refusal names
every case it concerns at once, and the whole batch is one transaction."""

from django.db import transaction

from .consultations import consultation_schedule
from .models import Case, Stage
from .paralegals import case_assign_team
from .queue import ENDED
from .services import NotAllowed, StaleCase, audit_detail, case_move_stage
from .workflow import may_move

MAX_BATCH = 200
# Declining and closing need a reason and a confirmation, filing its date and type, and
# reopening an ended case is a decision per case: none of them in bulk.
BULK_STAGES = [s for s in Stage.values if s not in (*ENDED, Stage.NEW, Stage.FILED)]


class BulkRefused(NotAllowed):
    """Nothing was changed; the message says why and names the cases."""


def _names(cases) -> str:
    return ", ".join(str(case) for case in cases)


def _load(versions: dict[int, int]) -> list[Case]:
    """The selected cases, locked, in the order given; refused if any is unknown, or there
    are none or too many."""
    if not versions:
        raise BulkRefused("Select at least one case.")
    if len(versions) > MAX_BATCH:
        raise BulkRefused(
            f"Select at most {MAX_BATCH} cases at a time; {len(versions)} were selected. "
            "Nothing was changed."
        )
    # Locked in pk order, so two batches over the same cases wait rather than deadlock.
    locked = Case.objects.select_for_update(of=("self",)).select_related(
        "assigned_attorney", "assigned_paralegal"
    )
    found = {case.pk: case for case in locked.filter(pk__in=list(versions)).order_by("pk")}
    missing = [pk for pk in versions if pk not in found]
    if missing:
        raise BulkRefused(
            "No such case: " + ", ".join(f"#{pk}" for pk in missing) + ". Nothing was changed."
        )
    cases = [found[pk] for pk in versions]
    stale = [case for case in cases if case.version != versions[case.pk]]
    if stale:
        raise BulkRefused(
            f"Changed by someone else since you opened the list: {_names(stale)}. Nothing "
            "was changed; reload the dashboard and redo the change if it still applies."
        )
    merged = [case for case in cases if case.merged_into_id]
    if merged:
        raise BulkRefused(
            f"Merged into another case: {_names(merged)}. Nothing was changed."
        )
    return cases


def _run(cases, versions, change) -> list[Case]:
    """Each case through its single-case service; a refusal there undoes the whole batch."""
    with audit_detail(bulk=True):
        for case in cases:
            try:
                change(case, versions[case.pk])
            except StaleCase:
                raise BulkRefused(
                    f"Changed by someone else meanwhile: {case}. Nothing was changed."
                ) from None
            except NotAllowed:
                raise BulkRefused(
                    f"You may not make that change to {case}. Nothing was changed."
                ) from None
    return cases


@transaction.atomic
def cases_assign(*, versions: dict[int, int], attorney, by) -> list[Case]:
    """Assign `attorney` to every selected case (versions: case pk -> the version seen)."""
    cases = _load(versions)
    if not by.has_perm("cases.assign_case"):
        raise BulkRefused(
            f"Only attorneys may assign cases; not assigned: {_names(cases)}. "
            "Nothing was changed."
        )
    # The case page's service, its paralegal kept: one rule for who may be the attorney.
    return _run(cases, versions, lambda case, version: case_assign_team(
        case=case, attorney=attorney, paralegal=case.assigned_paralegal, by=by,
        version=version,
    ))  # fmt: skip


@transaction.atomic
def cases_move_stage(*, versions: dict[int, int], to_stage: str, by) -> list[Case]:
    """Move every selected case to `to_stage`, if the workflow allows it for each of them."""
    if to_stage not in BULK_STAGES:
        raise BulkRefused(
            f"{Stage(to_stage).label if to_stage in Stage.values else to_stage} is not a "
            "move made in bulk: open each case to decline, close, file or reopen it."
        )
    cases = _load(versions)
    refused = [case for case in cases if not may_move(by, case.stage, to_stage)]
    if refused:
        label = Stage(to_stage).label
        raise BulkRefused(
            f"Cannot move to {label}: "
            + ", ".join(f"{case} (now {Stage(case.stage).label})" for case in refused)
            + ". Nothing was changed."
        )
    return _run(cases, versions, lambda case, version: case_move_stage(
        case=case, to_stage=to_stage, by=by, version=version,
    ))  # fmt: skip


@transaction.atomic
def cases_schedule_consultation(*, versions: dict[int, int], on, at=None, attorney=None,
                                mode: str = "", by) -> list[Case]:  # fmt: skip
    """The same consultation date (and time, attorney, mode) on every selected case."""
    cases = _load(versions)
    if not by.has_perm("cases.change_case"):
        raise BulkRefused(
            f"You may not schedule consultations: {_names(cases)}. Nothing was changed."
        )
    ended = [case for case in cases if case.stage in ENDED]
    if ended:
        raise BulkRefused(
            f"Closed or declined: {_names(ended)}. Nothing was changed."
        )
    return _run(cases, versions, lambda case, version: consultation_schedule(
        case=case, on=on, at=at, attorney=attorney, mode=mode, by=by, version=version,
    ))  # fmt: skip
