"""The paralegal's everyday work on the case page: the client's contact details and their
history, who works the case (attorney and paralegal), and the consultation."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..consultations import consultation_book
from ..contacts import client_update_contact, contact_history
from ..models import Client
from ..paralegal_forms import ConsultationForm, ContactForm, ParalegalSelfForm, TeamForm
from ..paralegals import case_assign_paralegal, case_assign_team, may_set_paralegal
from ..timezones import time_label
from .common import _apply, _case, staff_view


def para_context(user, case, forms: dict) -> dict:
    """The case page's panels for this work; forms passed in come back with their errors."""
    initial = {"version": case.version}
    paralegal = case.assigned_paralegal
    return {
        "contact_form": forms.get("contact_form") or ContactForm(
            instance=Client.objects.get(pk=case.client_id), initial=initial
        ),  # fmt: skip
        "contact_history": contact_history(case),
        "can_change_contact": user.has_perm("cases.change_contact"),
        "team_form": forms.get("team_form") or TeamForm(initial={
            **initial, "attorney": case.assigned_attorney_id,
            "paralegal": case.assigned_paralegal_id,
        }),  # fmt: skip
        "may_take": not user.has_perm("cases.assign_case")
        and may_set_paralegal(user, paralegal, user),
        "may_let_go": not user.has_perm("cases.assign_case") and paralegal is not None
        and may_set_paralegal(user, paralegal, None),
        "consultation_when": time_label(case.consultation_date, case.consultation_time,
                                        settings.TIME_ZONE) if case.consultation_time else "",
        "consultation_form": forms.get("consultation_form") or ConsultationForm(initial={
            **initial, "day": case.consultation_date, "at": case.consultation_time,
            "attorney": case.consultation_attorney_id or case.assigned_attorney_id,
            "mode": case.consultation_mode,
        }, case=case),  # fmt: skip
    }


def _rerender(request, case, **forms):
    from .case_page import _detail_context  # the page's context includes para_context

    return render(request, "cases/detail.html", _detail_context(request, case, **forms),
                  status=400)  # fmt: skip


@require_POST
@staff_view("cases.change_contact")
def contact(request, pk):
    case = _case(pk)
    form = ContactForm(request.POST, instance=Client.objects.get(pk=case.client_id))
    if not form.is_valid():
        return _rerender(request, case, contact_form=form)
    changed = {}

    def save():
        changed.update(client_update_contact(case=case, by=request.user,
                                             version=form.cleaned_data["version"],
                                             data=form.contact_data))  # fmt: skip

    try:
        applied = _apply(request, case, save)
    except ValidationError as refused:  # the model's constraint, had the form missed it
        form.add_error(None, refused)
        return _rerender(request, case, contact_form=form)
    if applied:
        messages.success(request, "Contact details saved." if changed
                         else "Nothing changed in the contact details.")  # fmt: skip
    return redirect(f"{case.get_absolute_url()}#contact-heading")


@require_POST
@staff_view("cases.assign_case")
def assign(request, pk):
    """The attorney's assign form: the attorney and the paralegal (cases:assign)."""
    case = _case(pk)
    form = TeamForm(request.POST)
    if not form.is_valid():
        return _rerender(request, case, team_form=form)
    changed = {}

    def save():
        changed.update(case_assign_team(
            case=case, attorney=form.cleaned_data["attorney"],
            paralegal=form.cleaned_data["paralegal"], by=request.user,
            version=form.cleaned_data["version"],
        ))  # fmt: skip

    if _apply(request, case, save):
        messages.success(request, "Paralegal assigned." if set(changed) == {"paralegal"}
                         else "Attorney and paralegal assigned." if len(changed) == 2
                         else "Attorney assigned.")  # fmt: skip
    return redirect(case)


@require_POST
@staff_view("cases.change_case")
def paralegal_self(request, pk):
    """A paralegal takes the case (it has no paralegal) or lets it go (it is theirs)."""
    case = _case(pk)
    form = ParalegalSelfForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to take the case or to let it go.")
        return redirect(case)
    taking = form.cleaned_data["action"] == "take"
    if _apply(request, case, lambda: case_assign_paralegal(
        case=case, paralegal=request.user if taking else None, by=request.user,
        version=form.cleaned_data["version"],
    )):  # fmt: skip
        messages.success(request, "You are the case's paralegal." if taking
                         else "You are no longer the case's paralegal.")  # fmt: skip
    return redirect(case)


@require_POST
@staff_view("cases.change_case")
def consultation(request, pk):
    case = _case(pk)
    form = ConsultationForm(request.POST, case=case)
    if not form.is_valid():
        return _rerender(request, case, consultation_form=form)
    data = form.cleaned_data
    had = case.consultation_date
    told_before = (had, case.consultation_time, case.consultation_mode)
    if _apply(request, case, lambda: consultation_book(
        case=case, on=data["day"], at=data["at"], attorney=data["attorney"], mode=data["mode"],
        by=request.user, version=data["version"], move_stage=data.get("move_stage", False),
    )):  # fmt: skip
        if data["day"] is None:
            messages.success(request, "Consultation cancelled." if had else
                             "No consultation was scheduled.")  # fmt: skip
        else:
            told = ""
            if told_before != (data["day"], data["at"], data["mode"]):
                told = (" The client is sent a confirmation by e-mail." if case.client.email
                        else " The client has no e-mail: tell them by phone.")  # fmt: skip
            moved = " The case is now at Consultation scheduled." if data.get("move_stage") else ""
            messages.success(request,
                             f"Consultation {'moved' if had else 'scheduled'}.{told}{moved}")
    return redirect(f"{case.get_absolute_url()}#consultation-heading")
