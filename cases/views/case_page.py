"""The case page and the changes made from it."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.models import Email

from .. import services
from ..emails import email_send_again
from ..family import may_follow_to_join
from ..forms import (
    ArrivalCorrectionForm,
    DeadlineForm,
    FilingForm,
    NoteForm,
    PriorityForm,
    StageForm,
    TranslationForm,
)
from ..i589.questions import DETAILS_LABELS
from ..military import left_relative_to_mobilisation, military_lines
from ..models import (
    AsylumClaim,
    CaseAccess,
    Deadline,
    Note,
)
from ..models.clients import NARRATIVE_LABELS
from ..timezones import today
from ..triage import facts_of, one_year_exempt
from ..workflow import allowed_transitions
from .case_rules import deadlines_past_due, forms_allowed
from .common import _apply, _case, staff_view
from .duplicates import case_page_context
from .i589 import i589_panel
from .paralegal import para_context
from .preparation import preparation_context

# The content type intake judged a file as (intake/uploads.py) -> the extension it downloads as.
DOWNLOAD_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@staff_view()
def detail(request, pk):
    case = _case(pk)
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.VIEW)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _detail_context(request, case, **forms):
    """The case page: who the client is, the file's record, what this user may do, and the
    forms (those passed in come back with their errors). A merged case offers no form: its
    changes are made on the case it was merged into."""
    context = {
        **_client_panel(request.user, case),
        **_record_panel(request, case),
        **forms_allowed(request.user, case),
        **_forms(request.user, case, forms),
        **para_context(request.user, case, forms),
        **preparation_context(request.user, case, forms),
        **case_page_context(request, case),
        **i589_panel(case),
    }
    if case.merged_into_id:
        context.update({key: False for key in context if key.startswith(("can_", "may_"))})
    return context


def _client_panel(user, case) -> dict:
    client, on = case.client, today()
    claim = getattr(client, "claim", None)
    family = []
    for member in client.family.all():
        # The age is frozen on the day the I-589 was filed (INA 208(b)(3)(B)).
        eligible, turns_21 = member.derivative_outlook(on, claim.filed_on if claim else None)
        family.append({
            "member": member, "eligible": eligible, "turns_21": turns_21,
            "follow_to_join": may_follow_to_join(member.relationship, member.in_united_states),
        })  # fmt: skip
    show_narrative = user.has_perm("cases.view_narrative")
    return {
        "case": case,
        "client": client,
        "decree": left_relative_to_mobilisation(client.nationality.code, client.left_country_on),
        "unaccompanied_child": one_year_exempt(facts_of(case), on),
        "military": military_lines(claim, with_text=show_narrative) if claim else [],
        "entries": client.entries.all(),
        "family": family,
        "claim": claim,
        "show_narrative": show_narrative,
        "narrative": [
            (NARRATIVE_LABELS[name], getattr(claim, name), getattr(claim, f"{name}_en"))
            for name in claim.NARRATIVE_FIELDS
        ] + [  # the questionnaire's I-589 explanations, once the client wrote them
            (label, getattr(claim, name), getattr(claim, f"{name}_en"))
            for name, label in DETAILS_LABELS.items() if getattr(claim, name)
        ] if claim and show_narrative else [],  # fmt: skip
        "documents": client.documents.all(),
    }


def _record_panel(request, case) -> dict:
    user = request.user
    notes = list(case.notes.select_related("author"))
    deadlines = list(case.deadlines.select_related("court", "entered_by"))
    return {
        "duplicates": case.possible_duplicates.all(),
        "duplicated_by": case.duplicated_by.all(),
        "emails": Email.objects.filter(case_id=case.pk),
        "deadlines": deadlines,
        **deadlines_past_due(deadlines),
        "notes": notes,
        "editable_notes": {
            n.pk for n in notes
            if n.author_id == user.pk and user.has_perm("cases.add_note")
            and timezone.now() - n.created_at < services.NOTE_EDIT_WINDOW
        },
        "stage_changes": case.stage_changes.select_related("by"),
        "accesses": case.accesses.select_related("user")[:50]
        if user.has_perm("cases.view_caseaccess") else None,
    }


def _forms(user, case, forms) -> dict:
    claim = getattr(case.client, "claim", None)
    initial = {"version": case.version}
    blank = {
        "stage_form": lambda: StageForm(initial={
            **initial, "filed_on": claim.filed_on if claim else None,
            "filing_type": claim.filing_type if claim else "",
        }, case=case, user=user),  # fmt: skip
        # An override shows as chosen, with its note; else "As assessed by triage".
        "priority_form": lambda: PriorityForm(initial={
            **initial, "level": case.priority if case.priority_overridden else "",
            "note": case.priority_override_note,
        }),  # fmt: skip
        "note_form": NoteForm,
        "translation_form": lambda: (
            TranslationForm(instance=claim, initial=initial) if claim else None
        ),
        "deadline_form": lambda: DeadlineForm(case=case),
        "filing_form": lambda: FilingForm(initial={
            **initial, "filed_on": claim.filed_on if claim else None,
            "filing_type": claim.filing_type if claim else "",
            "ead_clock_stopped_days": case.ead_clock_stopped_days,
        }),  # fmt: skip
        "arrival_form": lambda: ArrivalCorrectionForm(initial=initial, case=case),
    }
    return {
        **{name: forms.get(name) or make() for name, make in blank.items()},
        "deadline_edit_forms": [
            (d, DeadlineForm(instance=d, case=case, prefix=f"d{d.pk}"))
            for d in case.deadlines.all() if not d.computed
        ],
    }


def _rerender(request, case, status=400, **forms):
    return render(request, "cases/detail.html", _detail_context(request, case, **forms),
                  status=status)  # fmt: skip


@require_POST
@staff_view("cases.change_case")
def stage(request, pk):
    case = _case(pk)
    form = StageForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        to_stage = request.POST.get("to_stage")
        if form.field_errors or not to_stage:
            return _rerender(request, case, stage_form=form)  # the message beside the field
        if to_stage in allowed_transitions(case.stage):  # a move, but not this user's
            messages.error(request, "You are not allowed to make that change.")
        else:
            messages.error(request, "That stage cannot follow the case's current stage.")
        return redirect(case)
    data = form.cleaned_data
    if _apply(request, case, lambda: services.case_move_stage(
        case=case, to_stage=data["to_stage"], by=request.user, version=data["version"],
        filed_on=data.get("filed_on"), filing_type=data.get("filing_type", ""),
        reason=data.get("reason", ""),
    )):  # fmt: skip
        messages.success(request, f"Moved to {case.get_stage_display()}.")
    return redirect(case)


@require_POST
@staff_view("cases.change_case")
def priority(request, pk):
    case = _case(pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return _rerender(request, case, priority_form=form)
    if _apply(request, case, lambda: services.case_override_priority_checked(
        case=case, level=form.cleaned_data["level"], note=form.cleaned_data["note"],
        by=request.user, version=form.cleaned_data["version"],
    )):  # fmt: skip
        messages.success(request, "Triage level saved.")
    return redirect(case)


@require_POST
@staff_view("cases.add_note")
def note_add(request, pk):
    case = _case(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _rerender(request, case, note_form=form)
    if _apply(request, case, lambda: services.note_add(
        case=case, author=request.user, text=form.cleaned_data["text"],
    )):  # fmt: skip
        messages.success(request, "Note added.")
    return redirect(case)


@require_POST
@staff_view("cases.add_note")
def note_edit(request, pk, note_pk):
    case = _case(pk)
    note = get_object_or_404(Note, pk=note_pk, case=case)
    form = NoteForm(request.POST)
    if form.is_valid() and _apply(
        request, case, lambda: services.note_edit(note=note, by=request.user,
                                                  text=form.cleaned_data["text"])
    ):  # fmt: skip
        messages.success(request, "Note updated.")
    elif not form.is_valid():
        messages.error(request, "A note cannot be empty.")
    return redirect(case)


@require_POST
@staff_view("cases.view_narrative")
def claim_translation(request, pk):
    case = _case(pk)
    claim = get_object_or_404(AsylumClaim, client=case.client)
    form = TranslationForm(request.POST, instance=claim)
    if not form.is_valid():
        return _rerender(request, case, translation_form=form)
    fields = {name: form.cleaned_data[name] for name in TranslationForm.Meta.fields}
    if _apply(request, case, lambda: services.claim_translate(
        case=case, by=request.user, version=form.cleaned_data["version"], translations=fields,
    )):  # fmt: skip
        messages.success(request, "Translation saved.")
    return redirect(case)


@require_POST
@staff_view("notifications.change_email")
def resend(request, pk, email_pk):
    case = _case(pk)
    email = get_object_or_404(Email, pk=email_pk, case_id=case.pk)
    with transaction.atomic():  # the e-mail queued again and its record, or neither
        sent = email_send_again(case=case, email=email)
        if sent:
            services.access_record(case=case, user=request.user,
                                   action=CaseAccess.Action.RESEND,
                                   detail={"email": email.pk, "kind": email.kind})  # fmt: skip
    if sent:
        messages.success(request, f"The e-mail to {email.to} will be sent again.")
    else:
        messages.error(request, "This e-mail's text was deleted once it was sent, and there is "
                                "nothing to write it again from.")
    return redirect(case)


@staff_view("cases.view_document")
def document(request, pk, doc_pk):
    case = _case(pk)
    doc = get_object_or_404(case.client.documents, pk=doc_pk)
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.DOCUMENT,
                           detail={"document": doc.pk})  # fmt: skip
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    # Never the client's file name: `evidence.zip` or `statement.hta` would tell the desktop
    # what to do with it. The name is ours, the extension the one its content was judged as.
    response = FileResponse(handle, as_attachment=True, filename=_download_name(case, doc),
                            content_type="application/octet-stream")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download_name(case, doc) -> str:
    order = case.client.documents.filter(
        Q(uploaded_at__lt=doc.uploaded_at) | Q(uploaded_at=doc.uploaded_at, pk__lte=doc.pk)
    ).count()
    extension = DOWNLOAD_EXTENSIONS.get(doc.content_type, "bin")
    return f"{case.reference or f'case-{case.pk}'}-{order}.{extension}"


@require_POST
@staff_view("cases.change_deadline")
def deadline_save(request, pk, deadline_pk=None):
    case = _case(pk)
    instance = None
    if deadline_pk is not None:
        instance = get_object_or_404(Deadline, pk=deadline_pk, case=case, computed=False)
    prefix = f"d{deadline_pk}" if deadline_pk is not None else None
    form = DeadlineForm(request.POST, instance=instance, case=case, prefix=prefix)
    if not form.is_valid():
        return _rerender(request, case, deadline_form=form)
    if _apply(request, case, lambda: services.deadline_save(case=case, form=form,
                                                            by=request.user)):  # fmt: skip
        messages.success(request, "Deadline saved.")
    return redirect(f"{case.get_absolute_url()}#deadlines-heading")


@require_POST
@staff_view("cases.change_case")
def filing(request, pk):
    case = _case(pk)
    form = FilingForm(request.POST)
    if not form.is_valid():
        return _rerender(request, case, filing_form=form)
    data = form.cleaned_data
    if _apply(request, case, lambda: services.case_record_filing(
        case=case, filed_on=data["filed_on"], filing_type=data["filing_type"],
        stopped_days=data["ead_clock_stopped_days"], by=request.user, version=data["version"],
    )):  # fmt: skip
        messages.success(request, "Filing recorded; computed deadlines updated.")
    return redirect(f"{case.get_absolute_url()}#deadlines-heading")


@require_POST
@staff_view("cases.change_entry")
def arrival(request, pk):
    case = _case(pk)
    form = ArrivalCorrectionForm(request.POST, case=case)
    if not form.is_valid():
        return _rerender(request, case, arrival_form=form)
    data = form.cleaned_data
    if _apply(request, case, lambda: services.case_correct_arrival(
        case=case, entry=data["entry"], day=data["date"], by=request.user,
        version=data["version"],
    )):  # fmt: skip
        messages.success(request, "Arrival corrected; the one-year deadline follows it.")
    return redirect(f"{case.get_absolute_url()}#deadlines-heading")

