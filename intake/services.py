"""Writes on the public side: the one place a draft becomes a case."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from cases.services import case_open_for_client

from . import wizard
from .models import AsylumClaim, Document, Entry, IntakeDraft


class IncompleteIntake(Exception):
    """A step still has answers that do not pass; `step` says which."""

    def __init__(self, step):
        super().__init__(step.slug)
        self.step = step


def validated_steps(draft) -> dict:
    """Every step's valid forms, or IncompleteIntake for the first step that is not."""
    built = {}
    for step in wizard.STEPS[:-1]:
        if step.slug not in draft.data:
            raise IncompleteIntake(step)
        forms = step.build(draft)
        if not wizard.forms_valid(forms):
            raise IncompleteIntake(step)
        built.update(forms)
    return built


def intake_submit(*, draft_id: int) -> Case:
    """Create Client, entries, family, claim and Case in one transaction; once per draft.

    A second submit of the same draft (double click, back button, two tabs)
    returns the case the first one made.
    """
    try:
        with transaction.atomic():
            # Two submits of one draft queue here; the second sees the first's case.
            draft = IntakeDraft.objects.select_for_update().get(pk=draft_id)
            # Only a submitted draft can have a case (its case may since have been deleted).
            existing = draft.submitted_at and Case.objects.filter(draft=draft).first()
            if existing:
                return existing
            forms = validated_steps(draft)
            case = _create_case(draft, forms)
    except IntegrityError:
        # On databases without row locks the unique draft on Case decides.
        existing = Case.objects.filter(draft_id=draft_id).first()
        if existing is None:
            raise
        return existing
    return case


def _create_case(draft, forms) -> Case:
    client = forms["about"].save(commit=False)
    for name in forms["status"].Meta.fields:
        setattr(client, name, forms["status"].cleaned_data.get(name))
    client.save()

    entries = [form.save(commit=False) for form in forms["entries"].forms
               if form.has_changed() and form.cleaned_data]  # fmt: skip
    for entry in entries:
        entry.client = client
    # No post_save per entry: the case opened below computes its deadlines from all of them.
    Entry.objects.bulk_create(entries)
    for form in forms["family"].forms:
        if form.has_changed() and form.cleaned_data:
            member = form.save(commit=False)
            member.client = client
            member.save()
    claim: AsylumClaim = forms["claim"].save(commit=False)
    claim.client = client
    # Like the entries: its post_save would look for a case that is only opened below.
    AsylumClaim.objects.bulk_create([claim])
    Document.objects.filter(draft=draft).update(client=client)

    case = case_open_for_client(client=client, draft=draft)
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["submitted_at", "updated_at"])
    return case



