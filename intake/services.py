"""Writes on the public side: the one place a draft becomes a case."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from cases.preparation import preparation_record
from cases.preparation import prepared_answers as preparation_prefill
from cases.services import client_open_case

from . import wizard
from .forms import PRIOR_PENDING_FILING
from .models import IntakeDraft, PreparationDraft
from .prepare_steps import STEPS as PREPARE_STEPS
from .prepare_steps import records_from, step_is_complete


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


def _copy(form, row) -> None:
    """A form's answers onto a row another form of the same model made; a question the form
    did not ask (an adult is not asked about parents) leaves the model's default."""
    for name in form.Meta.fields:
        if name in form.cleaned_data:
            setattr(row, name, form.cleaned_data[name])


def _open_case(draft, forms) -> Case:
    client = forms["about"].save(commit=False)
    _copy(forms["status"], client)
    claim = forms["claim"].save(commit=False)
    _copy(forms["military"], claim)
    # An application the client filed earlier and still pending is the case's filing: the
    # one-year deadline is met by it and the EAD clock runs from it.
    filing_type = PRIOR_PENDING_FILING.get(client.prior_asylum_outcome)
    if filing_type and client.prior_asylum_filed_on:
        claim.filed_on, claim.filing_type = client.prior_asylum_filed_on, filing_type
    case = client_open_case(
        client=client,
        entries=_saved_rows(forms["entries"]),
        family=_saved_rows(forms["family"]),
        claim=claim,
        document_ids=draft.documents.values_list("pk", flat=True),
    )
    draft.case = case
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["case", "submitted_at", "updated_at"])
    return case


def preparation_send(*, draft_id: int) -> bool:
    """The preparation questionnaire's answers into the client's records (cases'
    preparation_record), the draft marked sent, in one transaction. False when the draft
    was already sent and not changed since: a double click or a second tab writes nothing.

    Raises IncompleteIntake with the first step that does not pass."""
    with transaction.atomic():
        # Two sends of one draft queue here; the second sees the first's submitted_at.
        draft = PreparationDraft.objects.select_for_update().select_related("case").get(
            pk=draft_id
        )
        if draft.submitted_at and draft.updated_at <= draft.submitted_at:
            return False
        draft.prefill = preparation_prefill(draft.case)
        for step in PREPARE_STEPS[:-1]:
            if not step_is_complete(draft, step):
                raise IncompleteIntake(step)
        preparation_record(case=draft.case, answers=records_from(draft))
        draft.submitted_at = timezone.now()
        # Only submitted_at: updated_at (auto_now) keeps the last answer's time, so a step
        # saved after this send makes the next send write again.
        draft.save(update_fields=["submitted_at"])
    return True
