"""Writes for how the firm reaches a client: e-mail, phone, preferred channel, US address.
Each change is in the case's audit trail with the old and new value of every field changed,
which is also the case page's contact history."""

from django.db import transaction

from .models import Case, CaseAccess, Client
from .services import NotAllowed, StaleCase, _claim_version, access_record

CONTACT_FIELDS = ("email", "phone", "preferred_contact", "address_line1", "address_line2",
                  "city", "state", "postal_code")  # fmt: skip
LABELS = {
    "email": "E-mail", "phone": "Phone", "preferred_contact": "Preferred contact",
    "address_line1": "Address line 1", "address_line2": "Address line 2", "city": "City",
    "state": "State", "postal_code": "ZIP code",
}  # fmt: skip


def _shown(value) -> str:
    # A phone number as E.164 ("+16195550100"), the form it is stored and searched in.
    if value is None:
        return ""
    return getattr(value, "as_e164", None) or str(value)


def contact_changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs; a plain function."""
    return {
        name: [_shown(before.get(name)), _shown(after.get(name))]
        for name in CONTACT_FIELDS
        if name in after and _shown(before.get(name)) != _shown(after.get(name))
    }


@transaction.atomic
def client_update_contact(*, case: Case, by, version: int, data: dict) -> dict:
    """Save the contact fields in `data` (cleaned by the form, with the model's validation)
    and return what changed. Nothing changed: nothing is written, not even the version, so
    a second tab's edit still applies; a stale version is refused all the same."""
    if not by.has_perm("cases.change_contact"):
        raise NotAllowed
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    client = Client.objects.select_for_update().get(pk=case.client_id)
    changes = contact_changes({name: getattr(client, name) for name in CONTACT_FIELDS}, data)
    if not changes:
        if not Case.objects.filter(pk=case.pk, version=version).exists():
            raise StaleCase
        return {}
    _claim_version(case, version)
    for name in changes:
        setattr(client, name, data[name])
    # The database refuses a client with neither e-mail nor phone; say it before it does.
    client.validate_constraints()
    client.save(update_fields=[*changes, "updated_at"])
    case.client = client
    access_record(case=case, user=by, action=CaseAccess.Action.CONTACT,
                  detail={"changes": changes})  # fmt: skip
    return changes


def contact_history(case: Case):
    """The contact changes of a case, newest first: who, when, and each field old -> new."""
    rows = case.accesses.filter(action=CaseAccess.Action.CONTACT).select_related("user")
    return [
        {"user": row.user, "at": row.at,
         "changes": _in_form_order((row.detail or {}).get("changes", {}))}
        for row in rows[:100]
    ]  # fmt: skip


def _in_form_order(changes: dict) -> list[tuple[str, str, str]]:
    # PostgreSQL's jsonb keeps keys in its own order; show them as the form lists them.
    order = {name: i for i, name in enumerate(CONTACT_FIELDS)}
    return [(LABELS.get(name, name), old, new)
            for name, (old, new) in sorted(changes.items(), key=lambda kv: order.get(kv[0], 99))]
