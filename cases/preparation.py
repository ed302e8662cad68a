"""The preparation questionnaire's side in cases: what the records already say (to pre-fill
it), and the one write that puts a client's confirmed answers into the records.

Both speak the same plain shape, so intake never needs to know the models' relations:

    {"client": {field: value}, "claim": {field: value},
     "family": [{"pk": int | None, field: value}],
     "residences": [...], "employment": [...], "schooling": [...], "entries": [...]}

Values are Python values (dates, booleans, country codes), as forms clean them.
"""

from django.db import transaction
from django.utils import timezone

from .models import (
    AsylumClaim,
    Case,
    CaseAccess,
    Employment,
    Entry,
    FamilyMember,
    Residence,
    Schooling,
)
from .services import access_record, deadlines_sync_computed
from .triage import facts_of

# What the questionnaire may write, per record; anything else in the answers is ignored.
CLIENT_FIELDS = (
    # Part A.I items 4-7 (names), 12 (birth), 11 (marital status), 13, and 9 (mailing).
    "family_name", "given_names", "family_name_native", "given_names_native", "other_names",
    "date_of_birth", "marital_status", "country_of_birth",
    "mailing_in_care_of", "mailing_line1", "mailing_line2", "mailing_city", "mailing_state",
    "mailing_postal_code",
    # A.I items 13 (city of birth), 15-17, 3, 2, 20-22, 19.b-c, 23-24.
    "city_of_birth", "nationality_at_birth", "ethnicity", "religion", "ssn",
    "uscis_account_number", "passport_country", "passport_number", "passport_expires_on",
    "travel_document_number", "i94_number", "status_when_admitted", "native_language",
    "fluent_in_english",
    # A.I item 19.a (when the client last left their country), C.4 (a return since).
    "left_country_on", "returned_since_leaving",
)  # fmt: skip
FAMILY_FIELDS = (
    "relationship", "family_name", "given_names", "name_native", "date_of_birth", "sex",
    "nationality", "marital_status", "current_location", "in_united_states", "deceased",
    "a_number", "passport_number", "city_of_birth", "country_of_birth", "ethnicity",
    "marriage_date", "marriage_place", "last_entry_date", "last_entry_place", "i94_number",
    "status_when_admitted", "current_status", "status_expires_on", "in_immigration_court",
)  # fmt: skip
# Part B and C yes/no questions and the client's explanations (never the _en translations,
# which are the firm's, nor the first intake's story).
CLAIM_FIELDS = (
    "arrested_abroad", "arrested_abroad_details", "organisations", "organisations_details",
    "organisations_continued", "organisations_continued_details", "fears_torture",
    "fears_torture_details", "family_applied_before", "family_applied_before_details",
    "other_country_travel", "other_country_status", "other_country_details",
    "harmed_others", "harmed_others_details", "returned_details", "late_filing_explanation",
    "us_crimes", "us_crimes_details",
)  # fmt: skip
RESIDENCE_FIELDS = ("kind", "street", "city", "province", "country", "from_on", "to_on")
EMPLOYMENT_FIELDS = ("employer", "address", "occupation", "from_on", "to_on")
SCHOOLING_FIELDS = ("name", "school_type", "location", "from_on", "to_on")
ENTRY_FIELDS = ("date", "place", "manner", "visa_type")


def _plain(value):
    """A record's value as a form takes it: a country as its code."""
    return getattr(value, "code", value) if value is not None else None


def _values(row, names) -> dict:
    return {name: _plain(getattr(row, name)) for name in names}


def prepared_answers(case: Case) -> dict:
    """What the records hold for the questionnaire, in the answers' shape: the first intake's
    answers (and any earlier questionnaire's) for the client to confirm or correct."""
    client = case.client
    claim = AsylumClaim.objects.filter(client=client).first()
    # Read afresh, never from a prefetched cache the caller's copy may hold.
    return {
        "client": _values(client, CLIENT_FIELDS),
        "claim": _values(claim, CLAIM_FIELDS) if claim else {},
        "family": [
            {"pk": member.pk, **_values(member, FAMILY_FIELDS)}
            for member in FamilyMember.objects.filter(client=client)
        ],
        "residences": [
            _values(r, RESIDENCE_FIELDS) for r in Residence.objects.filter(client=client)
        ],
        "employment": [
            _values(e, EMPLOYMENT_FIELDS) for e in Employment.objects.filter(client=client)
        ],
        "schooling": [
            _values(s, SCHOOLING_FIELDS) for s in Schooling.objects.filter(client=client)
        ],
        "entries": [_values(e, ENTRY_FIELDS) for e in Entry.objects.filter(client=client)],
    }


def _kept(values: dict, names) -> dict:
    return {name: values[name] for name in names if name in values}


@transaction.atomic(savepoint=False)  # the caller holds the draft's lock in the same one
def preparation_record(*, case: Case, answers: dict) -> Case:
    """Write a client's confirmed questionnaire to their records, all or nothing.

    The lists (residences, jobs, schools, entries) are replaced by the answers; family
    members are updated when matched by pk among this client's own, added otherwise, and a
    relative the client left out is kept for the attorney to decide. The first intake's
    story and the firm's translations are never touched. Triage and the computed deadlines
    follow when a fact they read changed. Audited as the client's (no user)."""
    case = Case.objects.select_related("client").get(pk=case.pk)
    client = case.client
    before = (
        facts_of(case),
        sorted(Entry.objects.filter(client=client).values_list("date", flat=True)),
    )

    for name, value in _kept(answers.get("client", {}), CLIENT_FIELDS).items():
        setattr(client, name, "" if value is None and _not_null(client, name) else value)
    client.prepared_at = timezone.now()
    client.save()

    claim, _made = AsylumClaim.objects.get_or_create(client=client)
    for name, value in _kept(answers.get("claim", {}), CLAIM_FIELDS).items():
        setattr(claim, name, value)
    claim.save()

    family = _family_write(client, answers.get("family", []))
    counts = {"family": family}
    for key, model, names in (
        ("residences", Residence, RESIDENCE_FIELDS),
        ("employment", Employment, EMPLOYMENT_FIELDS),
        ("schooling", Schooling, SCHOOLING_FIELDS),
        ("entries", Entry, ENTRY_FIELDS),
    ):
        rows = answers.get(key)
        if rows is None:  # a list the answers do not speak of is left as it is
            continue
        model.objects.filter(client=client).delete()
        model.objects.bulk_create([model(client=client, **_kept(row, names)) for row in rows])
        counts[key] = len(rows)

    case = Case.objects.select_related("client__claim").get(pk=case.pk)
    after = (
        facts_of(case),
        sorted(Entry.objects.filter(client=client).values_list("date", flat=True)),
    )
    if after != before:
        deadlines_sync_computed(case=case)  # re-assesses the case (case_triage) as well
    access_record(case=case, user=None, action=CaseAccess.Action.CLIENT_PREPARED,
                  detail={"rows": counts, "retriaged": after != before})  # fmt: skip
    return case


def _not_null(record, name) -> bool:
    return not record._meta.get_field(name).null


def _family_write(client, rows) -> int:
    """Each relative the answers name: the client's own member with that pk updated, or a
    new one (a pk that is not this client's is treated as new, never as someone else's)."""
    mine = {member.pk: member for member in FamilyMember.objects.filter(client=client)}
    for row in rows:
        member = mine.get(row.get("pk")) or FamilyMember(client=client)
        for name, value in _kept(row, FAMILY_FIELDS).items():
            setattr(member, name, "" if value is None and _not_null(member, name) else value)
        member.save()
    return len(rows)
