"""Writes for who works a case: its attorney and, beside them, its paralegal.

Who may set the paralegal: an attorney (assign_case) anyone of the "staff" group, or no one.
A paralegal may take a case that has no paralegal, or let go of one that is theirs, and
nothing else: handing a case from one paralegal to another, or choosing the attorney, stays
an attorney's decision."""

from django.db import transaction

from .models import Case, CaseAccess
from .services import (
    NotAllowed,
    _claim_version,
    _username,
    access_record,
    deadlines_attorney_sync,
)

PARALEGALS_GROUP = "staff"
ATTORNEYS_GROUP = "attorneys"


def _is_member(user, group: str) -> bool:
    return bool(user and user.is_active and user.groups.filter(name=group).exists())


def may_set_paralegal(by, current, new) -> bool:
    """The rule above, on users (current and new may be None)."""
    if by.has_perm("cases.assign_case"):
        return True
    if not (by.has_perm("cases.change_case") and _is_member(by, PARALEGALS_GROUP)):
        return False
    taking = new is not None and new.pk == by.pk and (current is None or current.pk == by.pk)
    letting_go = new is None and current is not None and current.pk == by.pk
    return taking or letting_go


def _team_write(case: Case, by, changes: dict) -> None:
    for name, (_before, after) in changes.items():
        setattr(case, f"assigned_{name}", after)
    case.save(update_fields=[f"assigned_{name}" for name in changes] + ["updated_at"])
    if "attorney" in changes:
        deadlines_attorney_sync(case_ids=[case.pk])
    access_record(case=case, user=by, action=CaseAccess.Action.ASSIGN, detail={
        name: [_username(before), _username(after)] for name, (before, after) in changes.items()
    })  # fmt: skip


def _changed(case: Case, **people) -> dict:
    return {
        name: (getattr(case, f"assigned_{name}"), user)
        for name, user in people.items()
        if getattr(case, f"assigned_{name}_id") != (user.pk if user else None)
    }


@transaction.atomic
def case_assign_team(*, case: Case, attorney, paralegal, by, version: int) -> dict:
    """An attorney sets both the attorney and the paralegal; returns what changed (one ASSIGN
    row says it, old and new; nothing changed writes no row)."""
    if not by.has_perm("cases.assign_case"):
        raise NotAllowed
    if attorney is not None and not _is_member(attorney, ATTORNEYS_GROUP):
        raise NotAllowed
    if paralegal is not None and not _is_member(paralegal, PARALEGALS_GROUP):
        raise NotAllowed
    _claim_version(case, version)
    changes = _changed(case, attorney=attorney, paralegal=paralegal)
    if changes:
        _team_write(case, by, changes)
    return changes


@transaction.atomic
def case_assign_paralegal(*, case: Case, paralegal, by, version: int) -> dict:
    """Set or clear the paralegal alone (a paralegal taking a case or letting it go)."""
    if paralegal is not None and not _is_member(paralegal, PARALEGALS_GROUP):
        raise NotAllowed
    # The version first: a page from before someone else took the case says it is stale.
    _claim_version(case, version)
    if not may_set_paralegal(by, case.assigned_paralegal, paralegal):
        raise NotAllowed
    changes = _changed(case, paralegal=paralegal)
    if changes:
        _team_write(case, by, changes)
    return changes
