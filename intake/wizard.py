"""The intake wizard's steps, and the answers a draft holds for each.

A draft keeps each step's answers exactly as posted (a dict of lists, like a
QueryDict), so a half-finished step is never lost and is re-checked by the
same forms every time it is shown, saved or submitted.
"""

import re
from dataclasses import dataclass
from typing import ClassVar

from django import forms as django_forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from . import forms

# Fields that are not answers: never stored in a draft.
NOT_ANSWERS = {"csrfmiddlewaretoken", "action", "contact_by_fax", "form_stamp"}
# A value that is not free text (a date, a choice, a number) is never longer than this.
MAX_SHORT_VALUE = 200
# A field that takes several values (ticked boxes) never needs more than this many.
MAX_VALUES = 50


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str = "intake/step_form.html"

    # Steps whose forms also read another step's answers (the client's birth date).
    reads: ClassVar[tuple[str, ...]] = ()

    def build(self, draft, data=None, files=None) -> dict:
        """The bound (or, for an untouched step, unbound) forms of this step.

        Forms built from a draft's stored answers are kept on the draft object for as long
        as those answers stay the same, so one request checks each step once, however
        many parts of the page need it (review sections, derivatives, completeness).
        """
        if data is not None or draft is None:
            return self._forms(draft, data)
        memo = draft.__dict__.setdefault("_wizard_forms", {})
        # A saved step gets a new answers dict (views._store), so identity says "unchanged".
        sources = tuple(draft.data.get(slug) for slug in (self.slug, *self.reads))
        kept = memo.get(self.slug)
        if kept is None or any(a is not b for a, b in zip(kept[0], sources, strict=True)):
            kept = memo[self.slug] = (sources, self._forms(draft, stored_answers(draft, self.slug)))
        return kept[1]

    def _forms(self, draft, data) -> dict:
        return {}


class ConsentStep(Step):
    def _forms(self, draft, data):
        return {"consent": forms.ConsentForm(data, prefix="consent")}


class AboutStep(Step):
    def _forms(self, draft, data):
        return {
            "about": forms.AboutYouForm(
                data, prefix="about", initial={"preferred_language": draft.language}
            )
        }


class ArrivalStep(Step):
    reads = ("about",)

    def _forms(self, draft, data):
        born = cleaned_value(draft, "about", "date_of_birth")
        entries = forms.EntryFormSet(data, prefix="entries", form_kwargs={"date_of_birth": born})
        return {
            "entries": entries,
            "status": forms.ArrivalForm(
                data, prefix="status", date_of_birth=born, entries=entries
            ),
        }


class FamilyStep(Step):
    reads = ("about",)

    def _forms(self, draft, data):
        mine = {
            "client_birth_date": cleaned_value(draft, "about", "date_of_birth"),
            "client_marital_status": cleaned_value(draft, "about", "marital_status"),
        }
        return {"family": forms.FamilyFormSet(data, prefix="family", form_kwargs=mine)}


class ClaimStep(Step):
    def _forms(self, draft, data):
        # Both under the prefix "claim": one claim, its military part asked first.
        return {
            "military": forms.MilitaryForm(data, prefix="claim"),
            "claim": forms.ClaimForm(data, prefix="claim"),
        }


STEPS = (
    ConsentStep("consent", _("Privacy and consent"), "intake/step_consent.html"),
    AboutStep("about", _("About you")),
    ArrivalStep("arrival", _("Arrival and status")),
    FamilyStep("family", _("Your family"), "intake/step_family.html"),
    ClaimStep("claim", _("Why you fear return")),
    Step("documents", _("Documents"), "intake/step_documents.html"),
    Step("review", _("Review and submit"), "intake/step_review.html"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def step_number(slug: str) -> int:
    return [s.slug for s in STEPS].index(slug) + 1


def neighbour(slug: str, offset: int) -> Step | None:
    index = step_number(slug) - 1 + offset
    return STEPS[index] if 0 <= index < len(STEPS) else None


def _field_cap(field) -> int:
    if isinstance(field, django_forms.CharField):
        return min(field.max_length or settings.INTAKE_MAX_TEXT, settings.INTAKE_MAX_TEXT)
    return MAX_SHORT_VALUE


def _answer_fields(step: Step, draft) -> tuple[dict, list]:
    """The names this step's forms read, each with its longest value: exact names, and the
    formsets' (prefix, most rows, their fields) for names like "family-3-given_names"."""
    exact, rows = {}, []
    for form in step._forms(draft, None).values():
        if isinstance(form, BaseFormSet):
            for name in form.management_form.fields:
                exact[f"{form.prefix}-{name}"] = MAX_SHORT_VALUE
            caps = {name: _field_cap(f) for name, f in form.empty_form.fields.items()}
            rows.append((form.prefix, form.max_num, caps))
        else:
            exact.update({form.add_prefix(name): _field_cap(f) for name, f in form.fields.items()})
    return exact, rows


ROW_FIELD = re.compile(r"^(?P<prefix>[\w]+)-(?P<row>\d{1,3})-(?P<name>\w+)$")


def answers_from_post(post, step: Step, draft) -> dict[str, list[str]]:
    """What a step's POST holds as its own answers, in a form a JSONField can keep.

    Only the step's forms' fields are kept, each value within its field's length (a longer
    one is kept empty: the form, checked against the POST itself, says why on screen).
    PostgreSQL's JSON cannot hold a NUL character; the forms refuse it with a message anyway.
    """
    exact, rows = _answer_fields(step, draft)
    kept = {}
    for key, values in post.lists():
        cap = exact.get(key)
        match = ROW_FIELD.match(key) if cap is None else None
        if match:
            for prefix, most, caps in rows:
                if match["prefix"] == prefix and int(match["row"]) < most:
                    cap = caps.get(match["name"])
        if cap is None or key in NOT_ANSWERS:
            continue
        kept[key] = [v.replace("\x00", "") if len(v) <= cap else "" for v in values[:MAX_VALUES]]
    return kept


def too_many_rows(post, step: Step, draft) -> str | None:
    """A message when a formset of this step is posted with more rows than it takes,
    checked before any form is built; else None."""
    for form in step._forms(draft, None).values():
        if not isinstance(form, BaseFormSet):
            continue
        # A count that is no number is the formset's own error (no rows are built for it).
        total = post.get(f"{form.prefix}-{TOTAL_FORM_COUNT}", "0").strip()
        if total.isdecimal() and (len(total) > 6 or int(total) > form.max_num):
            return _("%(what)s: you can add at most %(most)d.") % {
                "what": form.row_label, "most": form.max_num,
            }
    return None


def stored_answers(draft, slug: str) -> MultiValueDict | None:
    raw = draft.data.get(slug)
    return None if raw is None else MultiValueDict(raw)


def forms_valid(built: dict) -> bool:
    # Every form is checked (no short-circuit) so all errors show at once.
    return all([form.is_valid() for form in built.values()])


def step_is_complete(draft, step: Step) -> bool:
    """Visited, and every answer on it passes its checks."""
    if step.slug == "review" or step.slug not in draft.data:
        return False
    return forms_valid(step.build(draft))


def cleaned_value(draft, slug: str, field: str):
    """One answer from another step (the client's birth date, e-mail), if it passes its own
    checks; None if it is missing or wrong. Only that field is checked: the rest of the
    step may still be unfinished."""
    form = next(iter(STEP_BY_SLUG[slug].build(draft).values()))
    if not form.is_bound:
        return None
    try:
        return form.fields[field].clean(form[field].data)
    except ValidationError:
        return None


def first_incomplete(draft) -> Step:
    for step in STEPS[:-1]:
        if not step_is_complete(draft, step):
            return step
    return STEPS[-1]


def most_rows(step: Step, draft, prefix: str) -> int | None:
    """How many rows the step's formset `prefix` takes; None if the step has no such one."""
    for form in step._forms(draft, None).values():
        if isinstance(form, BaseFormSet) and form.prefix == prefix:
            return form.max_num
    return None


def add_form(answers: dict, prefix: str, most: int) -> dict | None:
    """One more row, or None when the formset already has its most rows."""
    key = f"{prefix}-TOTAL_FORMS"
    total = (answers.get(key) or ["0"])[0].strip()
    total = int(total) if total.isdecimal() and len(total) <= 6 else 0
    if total >= most:
        return None
    answers[key] = [str(total + 1)]
    return answers


def remove_form(answers: dict, prefix: str, index: int) -> dict:
    """Drop row `index` of a formset and renumber the rows after it."""
    key = f"{prefix}-TOTAL_FORMS"
    total = (answers.get(key) or ["0"])[0].strip()
    # A count that is no number (or a digit int() does not read, "²") removes nothing.
    total = int(total) if total.isdecimal() and len(total) <= 6 else 0
    if not 0 <= index < total:
        return answers
    kept = {}
    for name, values in answers.items():
        parts = name.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdecimal():
            row = int(parts[1])
            if row == index:
                continue
            if row > index:
                name = f"{prefix}-{row - 1}-{parts[2]}"
        kept[name] = values
    kept[key] = [str(total - 1)]
    initial = f"{prefix}-INITIAL_FORMS"
    kept[initial] = ["0"]
    return kept


def error_summary(built: dict) -> list[dict]:
    """Every error on a step, with the id of its field, for the summary at the top."""
    items = []
    for form in built.values():
        if not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            items += [{"id": "", "label": "", "message": m} for m in form.non_form_errors()]
            for row, subform in enumerate(form.forms, start=1):
                items += _form_errors(subform, f"{form.row_label} {row}: ")
        else:
            items += _form_errors(form)
    return items


def _form_errors(form, lead="") -> list[dict]:
    items = []
    for name, messages in form.errors.items():
        if name == "__all__":
            items += [{"id": "", "label": lead, "message": m} for m in messages]
        else:
            label = f"{lead}{form.fields[name].label}"
            items += [{"id": form[name].auto_id, "label": label, "message": m} for m in messages]
    return items
