"""Writes for the consultation: when, with whom and how the firm first meets the client."""

from django.db import transaction

from .models import Case, CaseAccess
from .services import NotAllowed, _claim_version, access_record

FIELDS = ("consultation_date", "consultation_time", "consultation_attorney", "consultation_mode")


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "get_username"):
        return value.get_username()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@transaction.atomic
def consultation_schedule(*, case: Case, on, at=None, attorney=None, mode: str = "", by,
                          version: int) -> Case:  # fmt: skip
    """Set (or move, or with on=None clear) the consultation; audited with before and after."""
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
    access_record(case=case, user=by, action=CaseAccess.Action.CONSULTATION,
                  detail={"changes": changes})  # fmt: skip
    return case
