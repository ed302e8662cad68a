"""One person, one record: two cases found to be the same person merged into one, or found
not to be and never suggested again. Each in one transaction, audited on both cases."""

from django.db import transaction
from django.db.models import Q

from . import services
from .duplicates import dismissed_with
from .models import (
    AsylumClaim,
    Case,
    CaseAccess,
    Client,
    Deadline,
    DeadlineStatus,
    Document,
    Entry,
    FamilyMember,
    NotDuplicate,
    Note,
    StageChange,
)
from .names import name_fold


class MergeRefused(services.NotAllowed):
    """A merge or dismissal that cannot be done as asked; the message says why."""


# The client's facts a merge may fill in on the kept client when it has none, with their
# labels for the note; booleans are answers, not blanks, and are only reported.
FILLABLE = {
    "date_of_birth": "Date of birth", "sex": "Sex", "marital_status": "Marital status",
    "nationality": "Nationality", "country_of_birth": "Country of birth",
    "languages": "Languages", "preferred_language": "Preferred language",
    "email": "E-mail", "phone": "Phone", "preferred_contact": "Preferred contact",
    "address_line1": "Address", "address_line2": "Address (line 2)", "city": "City",
    "state": "State", "postal_code": "Postal code",
    "passport_number": "Passport number", "a_number": "A-number",
    "left_country_on": "Left their country", "countries_transited": "Countries passed through",
    "current_status": "Status now", "status_ends_on": "Status ends",
    "notice_to_appear_date": "Notice to Appear", "next_hearing_date": "Next hearing",
    "hearing_court": "Hearing court", "judge_filing_deadline": "Judge's filing deadline",
    "detention_facility": "Detention facility", "missed_hearing_on": "Missed hearing",
    "next_ice_check_in": "ICE check-in", "prior_asylum_filed_on": "Earlier application filed",
    "prior_asylum_outcome": "Earlier application outcome",
    "prior_asylum_details": "Earlier application details",
}  # fmt: skip
REPORTED_ONLY = {
    "detained": "Detained", "in_removal_proceedings": "In removal proceedings",
    "interpreter_needed": "Interpreter needed", "prior_removal_order": "Prior removal order",
    "prior_asylum_application": "Earlier asylum application",
    "returned_since_leaving": "Went back since leaving",
}  # fmt: skip
# Never written into a note: the note says only that they differ.
SECRET = {"passport_number", "a_number"}
# A fact the kept client may take only with the answer it depends on (the model's checks).
NEEDS = {"detention_facility": "detained", "next_hearing_date": "in_removal_proceedings",
         "hearing_court": "in_removal_proceedings"}  # fmt: skip
NAME_FIELDS = ("given_names", "family_name", "given_names_native", "family_name_native")
OTHER_NAMES_MAX = Client._meta.get_field("other_names").max_length


def may_merge(user) -> bool:
    """Merging ends one of the cases: an attorney's decision, like closing a case."""
    return user.has_perm("cases.change_case") and user.has_perm("cases.change_stage_final")


@transaction.atomic
def case_merge(*, keep: Case, merge: Case, by, keep_version: int, merge_version: int) -> dict:
    """`merge` is the same person as `keep`: everything it holds moves to `keep` and it
    stays as a record saying where it went. Returns what moved (as audited)."""
    if not may_merge(by):
        raise services.NotAllowed
    if keep.pk == merge.pk:
        raise MergeRefused("A case cannot be merged with itself.")
    # Locked in id order, so two merges of the same pair cannot deadlock.
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(
        pk__in=[keep.pk, merge.pk]).order_by("pk")}  # fmt: skip
    for case in (keep, merge):
        if locked[case.pk].merged_into_id:
            target = locked[case.pk].merged_into
            raise MergeRefused(f"{case.reference} was already merged into {target.reference}.")
    for case, version in sorted(((keep, keep_version), (merge, merge_version)),
                                key=lambda pair: pair[0].pk):  # fmt: skip
        services._claim_version(case, version)

    keep = Case.objects.select_related("client").get(pk=keep.pk)
    merge = Case.objects.select_related("client").get(pk=merge.pk)
    moved = _move_records(keep, merge)
    filled, differing = _fill_client(keep.client, merge.client)
    filled += _fill_case(keep, merge)
    claim_stayed = not moved["claim"] and AsylumClaim.objects.filter(client=merge.client).exists()
    _note_differences(keep, merge, by, differing, claim_stayed=claim_stayed)
    _links_carry_over(keep, merge, by)

    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    # No reminder or alert chases what the merged case held: it lives on the kept one.
    reason = f"Merged into {keep.reference}."
    for deadline in merge.deadlines.filter(status=DeadlineStatus.OPEN):
        deadline.status = DeadlineStatus.NOT_APPLICABLE
        deadline.note = f"{deadline.note} {reason}".strip()
        deadline.save(update_fields=["status", "note"])
    Case.next_deadline_refresh(merge.pk)
    Case.next_deadline_refresh(keep.pk)
    # The moved deadlines, and the kept case's if it took the other's attorney.
    services.deadlines_attorney_sync(case_ids=[keep.pk])
    # The moved arrivals and facts change the one-year clock and the triage.
    services.deadlines_sync_computed(case=keep)
    services.case_triage(case=Case.objects.get(pk=keep.pk))

    detail = {"moved": moved, "filled": sorted(filled), "differing": sorted(differing)}
    services.access_record(case=keep, user=by, action=CaseAccess.Action.MERGE,
                           detail={**detail, "merged": merge.reference, "kept": keep.reference})
    services.access_record(case=merge, user=by, action=CaseAccess.Action.MERGE,
                           detail={**detail, "merged_into": keep.reference,
                                   "kept": keep.reference})  # fmt: skip
    return detail


def _move_records(keep: Case, merge: Case) -> dict:
    """The merged case's and client's rows, now the kept ones'; a row the kept side already
    has (the same arrival, relative or hand-entered deadline) stays where it was."""
    old, new = merge.client, keep.client
    arrivals = set(new.entries.values_list("date", "place"))
    entries = [e.pk for e in old.entries.all() if (e.date, e.place) not in arrivals]
    relatives = {
        (m.relationship, m.name_fold, m.date_of_birth) for m in new.family.all()
    }
    family = [m.pk for m in old.family.all()
              if (m.relationship, m.name_fold, m.date_of_birth) not in relatives]  # fmt: skip
    entered = set(keep.deadlines.filter(computed=False).values_list("kind", "due_date"))
    deadlines = [d.pk for d in merge.deadlines.filter(computed=False)
                 if (d.kind, d.due_date) not in entered]  # fmt: skip
    moved = {
        "entries": Entry.objects.filter(pk__in=entries).update(client=new),
        "family": FamilyMember.objects.filter(pk__in=family).update(client=new),
        "documents": Document.objects.filter(client=old).update(client=new),
        "notes": Note.objects.filter(case=merge).update(case=keep),
        # Reminders already sent go with their deadline: none is sent twice.
        "deadlines": Deadline.objects.filter(pk__in=deadlines).update(case=keep),
        "stage_changes": StageChange.objects.filter(case=merge).update(case=keep),
        "claim": 0,
    }
    claim = getattr(old, "claim", None)
    if claim is not None and getattr(new, "claim", None) is None:
        claim.client = new
        claim.save(update_fields=["client"])
        moved["claim"] = 1
    return moved


def _blank(value) -> bool:
    return value in ("", None)


def _fill_client(kept: Client, other: Client) -> tuple[list[str], dict]:
    """Blank facts of the kept client taken from the other; where both have a value and
    they differ, the kept value stays and the other is reported (secrets only by name)."""
    filled, differing, fields = [], {}, []
    for field in FILLABLE:
        mine, theirs = getattr(kept, field), getattr(other, field)
        if _blank(theirs) or str(mine) == str(theirs):
            continue
        if _blank(mine) and (field not in NEEDS or getattr(kept, NEEDS[field])):
            setattr(kept, field, theirs)
            filled.append(field)
            fields.append(field)
        else:
            differing[field] = "(differs)" if field in SECRET else _shown(other, field)
    for field in REPORTED_ONLY:
        if getattr(kept, field) != getattr(other, field):
            differing[field] = "Yes" if getattr(other, field) else "No"
    names = _names(other)
    if names.casefold() != _names(kept).casefold():
        differing["names"] = names
    if name_fold(names) != name_fold(_names(kept)):
        spelling = f"{kept.other_names}; {names}" if kept.other_names else names
        if len(spelling) <= OTHER_NAMES_MAX:
            # Searching the other spelling finds the kept case too.
            kept.other_names = spelling
            fields.append("other_names")
    if fields:
        kept.save(update_fields=fields)
    return filled, differing


def _names(client: Client) -> str:
    return " ".join(getattr(client, f) for f in NAME_FIELDS if getattr(client, f))


def _shown(client: Client, field: str) -> str:
    display = getattr(client, f"get_{field}_display", None)
    value = display() if display else getattr(client, field)
    if field in {"nationality", "country_of_birth"}:
        value = value.name
    if field == "phone":
        value = value.as_international
    return str(value)


def _fill_case(keep: Case, merge: Case) -> list[str]:
    """Who works the case, and the consultation, when the kept case has none."""
    fields = [
        f for f in ("assigned_attorney", "assigned_paralegal")
        if getattr(keep, f"{f}_id") is None and getattr(merge, f"{f}_id") is not None
    ]  # fmt: skip
    if keep.consultation_date is None and merge.consultation_date is not None:
        fields += ["consultation_date", "consultation_time", "consultation_attorney",
                   "consultation_mode"]  # fmt: skip
    for field in fields:
        setattr(keep, field, getattr(merge, field))
    if fields:
        keep.save(update_fields=[*fields, "updated_at"])
    return fields


def _note_differences(keep: Case, merge: Case, by, differing: dict, *,
                      claim_stayed: bool) -> None:
    labels = {**FILLABLE, **REPORTED_ONLY, "names": "Names"}
    lines = [f"Merged {merge.reference} into this case (same person)."]
    if differing:
        lines.append(f"Where {merge.reference} said otherwise, this case's values were kept; "
                     f"{merge.reference} said:")  # fmt: skip
        lines += [f"- {labels[field]}: {value}" for field, value in sorted(differing.items())]
    if claim_stayed:
        lines.append(f"The claim as {merge.reference} told it stays on {merge.reference}.")
    Note.objects.create(case=keep, author=by, text="\n".join(lines))


def _links_carry_over(keep: Case, merge: Case, by) -> None:
    """The pair's own duplicate links go; the merged case's other suspected duplicates and
    dismissals become the kept case's; cases merged into it point at the kept one."""
    through = Case.possible_duplicates.through
    pair = [keep.pk, merge.pk]
    through.objects.filter(from_case_id__in=pair, to_case_id__in=pair).delete()
    others = set(through.objects.filter(from_case=merge).values_list("to_case_id", flat=True))
    others |= set(through.objects.filter(to_case=merge).values_list("from_case_id", flat=True))
    through.objects.filter(Q(from_case=merge) | Q(to_case=merge)).delete()
    dismissed = set()
    for row in NotDuplicate.objects.filter(Q(case_low=merge) | Q(case_high=merge)):
        dismissed.add(row.case_high_id if row.case_low_id == merge.pk else row.case_low_id)
    for other in dismissed - {keep.pk}:
        NotDuplicate.objects.get_or_create(**NotDuplicate.pair(keep.pk, other),
                                           defaults={"by": by})  # fmt: skip
    others -= {keep.pk, *dismissed, *dismissed_with(keep.pk)}
    keep.possible_duplicates.add(*others)
    Case.objects.filter(merged_into=merge).update(merged_into=keep)


@transaction.atomic
def case_mark_not_duplicate(*, case: Case, other: Case, by) -> NotDuplicate:
    """The two cases are different people: their duplicate links go both ways and the pair
    is never suggested again (cases.duplicates)."""
    if not by.has_perm("cases.change_case"):
        raise services.NotAllowed
    if case.pk == other.pk:
        raise MergeRefused("A case is always the same person as itself.")
    for one in (case, other):
        if one.merged_into_id:
            raise MergeRefused(f"{one.reference} was merged into {one.merged_into.reference}: "
                               "compare with that case instead.")  # fmt: skip
    row, created = NotDuplicate.objects.get_or_create(
        **NotDuplicate.pair(case.pk, other.pk), defaults={"by": by}
    )
    if not created:
        raise MergeRefused("These two cases were already marked as different people.")
    through = Case.possible_duplicates.through
    pair = [case.pk, other.pk]
    through.objects.filter(from_case_id__in=pair, to_case_id__in=pair).delete()
    for one, two in ((case, other), (other, case)):
        services.access_record(case=one, user=by, action=CaseAccess.Action.NOT_DUPLICATE,
                               detail={"other": two.reference})  # fmt: skip
    return row

