"""Writes on the public side: the one place a draft becomes a case."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from cases.services import client_open_case

from . import wizard
from .models import IntakeDraft


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
            # Only a submitted draft has a case (which may since have been deleted).
            if draft.submitted_at and draft.case_id:
                return draft.case
            case = _open_case(draft, validated_steps(draft))
    except IntegrityError:
        # On databases without row locks the draft's unique case decides.
        existing = Case.objects.filter(draft__pk=draft_id).first()
        if existing is None:
            raise
        return existing
    return case


def _saved_rows(formset) -> list:
    return [form.save(commit=False) for form in formset.forms
            if form.has_changed() and form.cleaned_data]  # fmt: skip


def _open_case(draft, forms) -> Case:
    client = forms["about"].save(commit=False)
    for name in forms["status"].Meta.fields:
        setattr(client, name, forms["status"].cleaned_data.get(name))
    case = client_open_case(
        client=client,
        entries=_saved_rows(forms["entries"]),
        family=_saved_rows(forms["family"]),
        claim=forms["claim"].save(commit=False),
        document_ids=draft.documents.values_list("pk", flat=True),
    )
    draft.case = case
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["case", "submitted_at", "updated_at"])
    return case
