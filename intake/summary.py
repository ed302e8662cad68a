"""What the review step shows: each step's answers in words, and who can be a derivative."""

from datetime import date

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

from cases.family import (
    CHILDREN,
    derivative_outlook,
    qualifies_as_child,
    spouse_marital_status,
)
from cases.timezones import today

from . import wizard


def _display(field, value) -> str:
    if isinstance(field, forms.BooleanField) or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in (None, "", []):
        return ""
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if hasattr(value, "as_international"):
        return value.as_international
    return str(value)


def form_rows(form) -> list[tuple[str, str]]:
    rows = []
    for name, field in form.fields.items():
        if name == "DELETE" or field.widget.is_hidden:  # never asked on screen
            continue
        shown = _display(field, form.cleaned_data.get(name))
        if shown:
            rows.append((field.label, shown))
    return rows


def review_sections(draft) -> list[dict]:
    sections = []
    for step in wizard.STEPS[1:-1]:
        built = step.build(draft)
        complete = step.slug in draft.data and wizard.forms_valid(built)
        groups = []
        if complete and step.slug == "documents":
            # Uploads are kept on the draft, not among a step's posted answers.
            rows = document_rows(draft)
            groups = [rows] if rows else []
        elif complete:
            for form in built.values():
                if isinstance(form, forms.BaseFormSet):
                    groups.extend(form_rows(f) for f in form.forms if f.has_changed())
                else:
                    groups.append(form_rows(form))
        sections.append({"step": step, "complete": complete, "groups": groups})
    return sections


def document_rows(draft) -> list[tuple[str, str]]:
    """Each kind of document uploaded, with the names the client's files had, one a line
    (never where they are stored)."""
    names: dict[str, list[str]] = {}
    for document in draft.documents.all():
        names.setdefault(document.get_kind_display(), []).append(document.original_name)
    return [(kind, "\n".join(files)) for kind, files in names.items()]


def family_eligibility(draft, on: date | None = None) -> list[dict]:
    """Each family member, whether they can be a derivative, and when a child turns 21 soon."""
    on = on or today()
    built = wizard.STEP_BY_SLUG["family"].build(draft)["family"]
    if not built.is_bound or not built.is_valid():
        return []
    mine = wizard.cleaned_value(draft, "about", "marital_status") or ""
    members = []
    for form in built.forms:
        data = form.cleaned_data
        if not data:
            continue
        if data["relationship"] == "spouse":  # the client's own answer counts too
            data = {**data, "marital_status": spouse_marital_status(data["marital_status"], mine)}
        eligible, turns_21 = derivative_outlook(
            data["relationship"], data.get("date_of_birth"), data["marital_status"], on,
            in_united_states=bool(data.get("in_united_states")),
            parent_marriage_date=data.get("parent_marriage_date"),
            adoption_date=data.get("adoption_date"),
        )
        members.append(
            {
                "name": f"{data['given_names']} {data['family_name']}",
                "relationship": dict(form.fields["relationship"].choices)[data["relationship"]],
                "eligible": eligible,
                "reason": _eligibility_reason(data, eligible),
                "turns_21": turns_21,
            }
        )
    return members


def _eligibility_reason(data, eligible) -> str:
    relationship = data["relationship"]
    if relationship not in {"spouse", *CHILDREN}:
        return _("Only a spouse and unmarried children under 21 can be included; "
                 "this relative may need their own application.")
    if not data.get("in_united_states"):
        return _("Only family in the United States can be included. After asylum is granted, "
                 "a spouse or child abroad may be able to join you (Form I-730).")
    if relationship == "spouse":
        if data["marital_status"] == "legally_separated":
            return _("A legally separated spouse cannot be included.")
        return _("A spouse can be included in your application.")
    if data.get("date_of_birth") is None:
        return _("We need the date of birth to tell whether this child can be included.")
    if eligible:
        return _("An unmarried child under 21 can be included in your application.")
    if not qualifies_as_child(relationship, data.get("date_of_birth"),
                              data.get("parent_marriage_date"), data.get("adoption_date")):
        return _("A stepchild can be included if you married their parent before they turned "
                 "18, an adopted child if adopted before 16.")  # fmt: skip
    if data["marital_status"] in {"married", "separated", "legally_separated"}:
        return _("A married child cannot be included; they may need their own application.")
    return _("A child aged 21 or older cannot be included; they may need their own application.")
