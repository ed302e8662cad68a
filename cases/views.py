"""The firm's pages: thin views over cases.selectors and cases.services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST
from django_countries import countries

from intake.choices import Language
from intake.family import derivative_eligible, turns_21_within
from intake.forms import ClaimForm
from intake.models import AsylumClaim
from intake.validators import today

from . import selectors, services
from .forms import AssignForm, NoteForm, PriorityForm, StageForm, TranslationForm
from .models import Case, CaseAccess, Email, Note, Priority, Stage
from .outbox import email_resend
from .paging import page_of

PAGE_SIZE = 25
STALE = "This case changed since you opened it: someone else saved first. Nothing was changed; "
STALE += "look at the case again and redo your change if it still applies."


def staff_view(permission="cases.view_case"):
    """Login, then the permission (403 without it); the firm's pages are in English."""

    def decorate(view):
        @wraps(view)
        def in_english(request, *args, **kwargs):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
            return view(request, *args, **kwargs)

        return login_required(permission_required(permission, raise_exception=True)(in_english))

    return decorate


@staff_view()
def dashboard(request):
    case_filter, ignored = selectors.dashboard_filter(user=request.user, params=request.GET)
    cases = selectors.dashboard_cases(case_filter)
    stages, levels, total = selectors.stage_and_level_counts(
        case_filter.qs, whole_caseload=not case_filter.form.has_changed()
    )
    page = page_of(cases, request.GET.get("page"), PAGE_SIZE, total)
    _label_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    chart = selectors.intakes_per_day()
    return render(request, "cases/dashboard.html", {
        "filter": case_filter,
        "ignored": ignored,
        "page": page,
        "query": query.urlencode(),
        "columns": _sort_columns(query),
        "stage_counts": [(value, label, stages[value]) for value, label in Stage.choices],
        "level_counts": [(value, label, levels[value]) for value, label in Priority.choices],
        "total": total,
        "upcoming": selectors.upcoming_deadlines(user=request.user),
        "chart": chart,
        "chart_rows": [
            (day, [counts.get(label, 0) for label, _total in chart["series"]], day_total)
            for day, counts, day_total in chart["table"]
        ],
        "today": today(),
    })  # fmt: skip


STAGE_LABELS, PRIORITY_LABELS = dict(Stage.choices), dict(Priority.choices)
LANGUAGE_LABELS = dict(Language.choices)


def _label_rows(cases) -> None:
    """Display labels looked up once per page, not through get_FOO_display per cell."""
    for case in cases:
        case.stage_label = STAGE_LABELS[case.stage]
        case.priority_label = PRIORITY_LABELS[case.priority]
        case.language_label = LANGUAGE_LABELS.get(case.client.preferred_language, "")
        case.nationality_name = countries.name(case.client.nationality)


SORT_COLUMNS = [
    ("Reference", "reference"), ("Client", "name"), ("Nationality", "nationality"),
    ("Language", "language"), ("Stage", "stage"), ("Level", "priority"),
    ("Attorney", "attorney"), ("Next deadline", "deadline"), ("Created", "created"),
]  # fmt: skip


def _sort_columns(query) -> list[dict]:
    """Each column's header link: sort by it, or reverse the sort if it is the current one."""
    current = query.get("o", "")
    columns = []
    for label, key in SORT_COLUMNS:
        link = query.copy()
        link["o"] = f"-{key}" if current == key else key
        sort = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
        columns.append({"label": label, "url": "?" + link.urlencode(), "sort": sort})
    return columns


def _case(pk) -> Case:
    queryset = Case.objects.select_related(
        "client__hearing_court", "client__claim", "assigned_attorney", "priority_overridden_by"
    )
    return get_object_or_404(queryset, pk=pk)


@staff_view()
def detail(request, pk):
    case = _case(pk)
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.VIEW)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _detail_context(request, case, **forms):
    user, client, on = request.user, case.client, today()
    family = [
        {
            "member": m,
            "eligible": derivative_eligible(m.relationship, m.date_of_birth, m.marital_status, on),
            "turns_21": turns_21_within(m.date_of_birth, on) if m.relationship == "child" else None,
        }
        for m in client.family.all()
    ]
    claim = getattr(client, "claim", None)
    show_narrative = user.has_perm("cases.view_narrative")
    initial = {"version": case.version}
    notes = list(case.notes.select_related("author"))
    return {
        "case": case,
        "client": client,
        "entries": client.entries.all(),
        "family": family,
        "claim": claim,
        "show_narrative": show_narrative,
        "narrative": [
            (ClaimForm._meta.labels[name], getattr(claim, name), getattr(claim, f"{name}_en"))
            for name in claim.NARRATIVE_FIELDS
        ] if claim and show_narrative else [],  # fmt: skip
        "duplicates": case.possible_duplicates.all(),
        "duplicated_by": case.duplicated_by.all(),
        "emails": case.emails.all(),
        "deadlines": case.deadlines.all(),
        "documents": client.documents.all(),
        "notes": notes,
        "editable_notes": {
            n.pk for n in notes
            if n.author_id == user.pk and timezone.now() - n.created_at < services.NOTE_EDIT_WINDOW
        },
        "stage_changes": case.stage_changes.select_related("by"),
        "accesses": case.accesses.select_related("user")[:50]
        if user.has_perm("cases.view_caseaccess") else None,
        "conflicts": selectors.conflict_matches(case) if request.GET.get("conflicts") else None,
        "stage_form": forms.get("stage_form") or StageForm(initial=initial, case=case),
        "assign_form": forms.get("assign_form") or AssignForm(
            initial={**initial, "attorney": case.assigned_attorney_id}
        ),
        "priority_form": forms.get("priority_form") or PriorityForm(initial=initial),
        "note_form": forms.get("note_form") or NoteForm(),
        "translation_form": forms.get("translation_form") or (
            TranslationForm(instance=claim, initial=initial) if claim else None
        ),
        "can_assign": user.has_perm("cases.assign_case"),
        "can_change": user.has_perm("cases.change_case"),
        "can_translate": show_narrative and user.has_perm("intake.change_asylumclaim"),
        "can_resend": user.has_perm("cases.change_email"),
    }


def _rerender(request, case, status=400, **forms):
    return render(request, "cases/detail.html", _detail_context(request, case, **forms),
                  status=status)  # fmt: skip


def _apply(request, case, change):
    """Run a service; turn its refusals into messages, never a 500."""
    try:
        change()
    except services.StaleCase:
        messages.error(request, STALE)
        return False
    except services.NotAllowed:
        messages.error(request, "You are not allowed to make that change.")
        return False
    return True


@require_POST
@staff_view("cases.change_case")
def stage(request, pk):
    case = _case(pk)
    form = StageForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, "That stage cannot follow the case's current stage.")
        return redirect(case)
    if _apply(request, case, lambda: services.case_move_stage(
        case=case, to_stage=form.cleaned_data["to_stage"], by=request.user,
        version=form.cleaned_data["version"],
    )):  # fmt: skip
        messages.success(request, f"Moved to {case.get_stage_display()}.")
    return redirect(case)


@require_POST
@staff_view("cases.assign_case")
def assign(request, pk):
    case = _case(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _rerender(request, case, assign_form=form)
    if _apply(request, case, lambda: services.case_assign(
        case=case, attorney=form.cleaned_data["attorney"], by=request.user,
        version=form.cleaned_data["version"],
    )):  # fmt: skip
        messages.success(request, "Attorney assigned.")
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
    services.note_add(case=case, author=request.user, text=form.cleaned_data["text"])
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
@staff_view("cases.change_email")
def resend(request, pk, email_pk):
    case = _case(pk)
    email = get_object_or_404(Email, pk=email_pk, case=case)
    email_resend(email=email)
    messages.success(request, f"The e-mail to {email.to} will be sent again.")
    return redirect(case)


@staff_view("intake.view_document")
def document(request, pk, doc_pk):
    case = _case(pk)
    doc = get_object_or_404(case.client.documents, pk=doc_pk)
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.DOCUMENT,
                           detail={"document": doc.pk})  # fmt: skip
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=doc.original_name,
                            content_type="application/octet-stream")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
