"""One person, one record: two cases side by side, "same person" (merge) or "not the same",
and the conflict check, recorded."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import conflicts, merging, selectors, services
from ..duplicates import dismissed_with
from ..models import CaseAccess, DeadlineStatus
from ..names import name_fold
from .common import _apply, _case, staff_view

# A version no case reaches; bounds what a form may send.
MAX_VERSION = 2**31 - 1


class MergeForm(forms.Form):
    """Which of the two cases stays, with the versions both were seen at."""

    keep = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect,
                                  label="Which case stays (the other is merged into it)")
    version_a = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)
    version_b = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)
    confirm = forms.BooleanField(
        label="I checked: these two cases are the same person. A merge cannot be undone.",
        error_messages={"required": "Tick the box to confirm these are the same person."},
    )  # fmt: skip

    def __init__(self, *args, a, b, **kwargs):
        kwargs.setdefault("initial", {"version_a": a.version, "version_b": b.version})
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (case.pk, f"Keep {case.reference} ({case.get_stage_display()}, opened "
                      f"{case.created_at:%Y-%m-%d})")
            for case in (a, b)
        ]  # fmt: skip
        self.fields["keep"].error_messages["required"] = "Choose the case that stays."


@staff_view()
def compare(request, pk, other_pk):
    a = _case(pk)
    if pk == other_pk:
        messages.error(request, "A case cannot be compared with itself.")
        return redirect(a)
    b = _case(other_pk)
    for one, other in ((a, b), (b, a)):
        services.access_record(case=one, user=request.user, action=CaseAccess.Action.VIEW,
                               detail={"compared_with": other.reference})  # fmt: skip
    return render(request, "cases/duplicate_compare.html", _compare_context(request, a, b))


def _compare_context(request, a, b, merge_form=None):
    user = request.user
    open_pair = not (a.merged_into_id or b.merged_into_id)
    dismissed = b.pk in dismissed_with(a.pk)
    return {
        "a": a,
        "b": b,
        "rows": comparison_rows(a, b),
        "dismissed": dismissed,
        "merge_form": (merge_form or MergeForm(a=a, b=b))
        if open_pair and merging.may_merge(user) else None,
        "can_dismiss": open_pair and not dismissed and user.has_perm("cases.change_case"),
    }


def comparison_rows(a, b) -> list[dict]:
    """The two cases' clients and files, field by field; `differs` says so in words."""
    rows = []
    for label, value_a, value_b in _fields(a, b):
        row = {"label": label, "a": value_a, "b": value_b, "differs": ""}
        if str(value_a).casefold() != str(value_b).casefold():
            row["differs"] = "Differs"
            if label.startswith("Names") and name_fold(value_a) == name_fold(value_b):
                row["differs"] = "Differs: another spelling of the same name"
        rows.append(row)
    return rows


def _fields(a, b):
    ca, cb = a.client, b.client

    def both(label, read):
        return (label, read(a, ca), read(b, cb))

    def arrival(case, client):
        entries = sorted(client.entries.all(), key=lambda e: e.date)
        return f"{entries[-1].date:%Y-%m-%d}, {entries[-1].place}" if entries else "—"

    def address(case, client):
        parts = (client.address_line1, client.address_line2, client.city, client.state,
                 client.postal_code)  # fmt: skip
        return " ".join(p for p in parts if p) or "—"

    def a_number(case, client):
        return "on file" if client.a_number_hash else "none"

    same_number = ca.a_number_hash and ca.a_number_hash == cb.a_number_hash
    return [
        both("Names (Latin)", lambda c, cl: cl.full_name),
        both("Names (native)", lambda c, cl: cl.full_name_native or "—"),
        both("Other names", lambda c, cl: cl.other_names or "—"),
        both("Date of birth", lambda c, cl: f"{cl.date_of_birth:%Y-%m-%d}"),
        both("Sex", lambda c, cl: cl.get_sex_display()),
        both("Nationality", lambda c, cl: cl.nationality.name),
        both("Country of birth", lambda c, cl: cl.country_of_birth.name),
        both("E-mail", lambda c, cl: cl.email or "—"),
        both("Phone", lambda c, cl: cl.phone.as_international if cl.phone else "—"),
        both("US address", address),
        # Never the number on this page: whether there is one, and whether they match.
        ("A-number", a_number(a, ca) + (" (the same)" if same_number else ""),
         a_number(b, cb) + (" (the same)" if same_number else "")),
        both("Last arrival", arrival),
        both("Detained", lambda c, cl: "Yes" if cl.detained else "No"),
        both("In removal proceedings", lambda c, cl: "Yes" if cl.in_removal_proceedings else "No"),
        both("Stage", lambda c, cl: c.get_stage_display()),
        both("Triage level", lambda c, cl: c.get_priority_display()),
        both("Attorney", lambda c, cl: c.assigned_attorney.get_username()
             if c.assigned_attorney else "unassigned"),
        both("Paralegal", lambda c, cl: c.assigned_paralegal.get_username()
             if c.assigned_paralegal else "unassigned"),
        both("Opened", lambda c, cl: f"{c.created_at:%Y-%m-%d}"),
        both("Family members", lambda c, cl: cl.family.count()),
        both("Notes", lambda c, cl: c.notes.count()),
        both("Open deadlines", lambda c, cl: c.deadlines.filter(
            status=DeadlineStatus.OPEN).count()),
        both("Documents", lambda c, cl: cl.documents.count()),
    ]  # fmt: skip


@require_POST
@staff_view("cases.change_stage_final")
def merge(request, pk, other_pk):
    a = _case(pk)
    if pk == other_pk:
        messages.error(request, "A case cannot be merged with itself.")
        return redirect(a)
    b = _case(other_pk)
    form = MergeForm(request.POST, a=a, b=b)
    if not form.is_valid():
        return render(request, "cases/duplicate_compare.html",
                      _compare_context(request, a, b, merge_form=form), status=400)  # fmt: skip
    data = form.cleaned_data
    keep, gone = (a, b) if data["keep"] == a.pk else (b, a)
    versions = {a.pk: data["version_a"], b.pk: data["version_b"]}
    if _apply(request, keep, lambda: merging.case_merge(
        keep=keep, merge=gone, by=request.user,
        keep_version=versions[keep.pk], merge_version=versions[gone.pk],
    )):  # fmt: skip
        messages.success(request, f"{gone.reference} merged into {keep.reference}.")
        return redirect(keep)
    return redirect("cases:duplicate_compare", pk=a.pk, other_pk=b.pk)


@require_POST
@staff_view("cases.change_case")
def not_duplicate(request, pk, other_pk):
    a = _case(pk)
    if pk == other_pk:
        messages.error(request, "A case is always the same person as itself.")
        return redirect(a)
    b = _case(other_pk)
    if _apply(request, a, lambda: merging.case_mark_not_duplicate(case=a, other=b,
                                                                  by=request.user)):  # fmt: skip
        messages.success(request, f"{a.reference} and {b.reference} marked as different people: "
                                  "they will not be suggested as duplicates again.")  # fmt: skip
    return redirect(a)


@require_POST
@staff_view()
def conflict_check(request, pk):
    case = _case(pk)
    record, matches = conflicts.conflict_check_run(case=case, by=request.user)
    found = len(matches)
    messages.success(request, f"Conflict check recorded: {found} similar name"
                              f"{'' if found == 1 else 's'} found.")  # fmt: skip
    # Redirected, so a reload shows the check again without running (and recording) it twice.
    return redirect(f"{reverse('cases:detail', args=[case.pk])}?check={record.pk}#conflicts")


def case_page_context(request, case) -> dict:
    """What the case page shows of duplicates, merges and conflict checks."""
    check, matches = None, None
    shown = request.GET.get("check", "")
    if shown.isdigit() and len(shown) < 19:
        check = case.accesses.filter(pk=int(shown), action=CaseAccess.Action.CONFLICT_CHECK)
        check = check.select_related("user").first()
        matches = selectors.conflict_matches(case) if check else None
    elif request.GET.get("conflicts"):
        # The older link to the check: recorded too, once however often it is reloaded.
        check, matches = conflicts.conflict_check_run(case=case, by=request.user, reload=True)
    return {
        "conflict_check": check,
        "conflicts": matches,
        "conflict_checks": selectors.conflict_checks(case),
    }
