"""The conflict check, recorded: who ran it on which case, when, the names searched and
what it found (kinds, case references and scores; never a story). The record is the
audit row itself, so the case page lists earlier checks from the access log."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import selectors, services
from .models import Case, CaseAccess


def searched_names(case: Case) -> list[str]:
    """The names the check looks for: the client's and their family's, in both scripts."""
    client = case.client
    names = [client.full_name, client.full_name_native]
    for member in client.family.all():
        names += [f"{member.given_names} {member.family_name}", member.name_native]
    return list(dict.fromkeys(name.strip() for name in names if name and name.strip()))


# A reload of a check's page within this time shows the check it recorded, not a new one.
RELOAD_WINDOW = timedelta(minutes=10)


@transaction.atomic
def conflict_check_run(*, case: Case, by, reload: bool = False) -> tuple[CaseAccess, list]:
    """Run the check on this case and record it; returns the record and the matches.
    With `reload` (the page asked again by URL, not by a click), the same check by the same
    user moments ago with the same outcome is shown again rather than recorded twice."""
    if not by.has_perm("cases.view_case"):
        raise services.NotAllowed
    matches = selectors.conflict_matches(case)
    detail = {
        "searched": searched_names(case),
        "count": len(matches),
        "matches": [
            {"kind": m["kind"], "case": m["case"].reference if m["case"] else "",
             "score": m["score"]}
            for m in matches
        ],
    }  # fmt: skip
    if reload:
        recent = case.accesses.filter(
            user=by, action=CaseAccess.Action.CONFLICT_CHECK,
            at__gte=timezone.now() - RELOAD_WINDOW,
        ).first()  # fmt: skip
        if recent is not None and recent.detail == detail:
            return recent, matches
    record = services.access_record(case=case, user=by,
                                    action=CaseAccess.Action.CONFLICT_CHECK, detail=detail)
    return record, matches
