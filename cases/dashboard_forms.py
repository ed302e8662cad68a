"""The dashboard's own forms: "Save this filter" and the bulk triage form."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms

from .bulk import BULK_STAGES, MAX_BATCH
from .filters import LongSelect
from .models import ConsultationMode, SavedFilter, Stage
from .queue import PRESETS
from .saved_filters import MAX_PER_USER, saved_query
from .timezones import today

NAME_LENGTH = SavedFilter._meta.get_field("name").max_length
QUERY_LENGTH = SavedFilter._meta.get_field("query").max_length


def _helper(form_id: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.form_id = form_id
    return helper


class SaveFilterForm(forms.Form):
    name = forms.CharField(label="Name for this filter", max_length=NAME_LENGTH)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def __init__(self, *args, user, **kwargs):
        # Ids of their own: the filter form on the same page has fields of the same names.
        super().__init__(*args, auto_id="save_%s", **kwargs)
        self.user = user
        self.helper = _helper("save-filter")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the filter a name.")
        taken = {preset.casefold() for preset, _query in PRESETS}
        if name.casefold() in taken:
            raise forms.ValidationError(f'"{name}" is a built-in filter; choose another name.')
        mine = SavedFilter.objects.filter(user=self.user)
        if mine.filter(name__iexact=name).exists():
            raise forms.ValidationError(f'You already have a filter named "{name}".')
        if mine.count() >= MAX_PER_USER:
            raise forms.ValidationError(
                f"You have {MAX_PER_USER} saved filters, the most kept; delete one first."
            )
        return name

    def clean_query(self):
        query = saved_query(self.cleaned_data.get("query") or "")
        if not query:
            raise forms.ValidationError("Choose some filters first: this is the whole list.")
        if len(query) > QUERY_LENGTH:
            raise forms.ValidationError("This filter is too long to save.")
        return query

    def clean(self):
        cleaned = super().clean()
        if "query" in self.errors:  # hidden: say it beside the name the user typed
            self.add_error("name", self.errors.pop("query"))
        return cleaned


ACTIONS = [
    ("assign", "Assign an attorney"),
    ("stage", "Move stage"),
    ("consultation", "Set a consultation date"),
]
CONSULTATION_DAYS = 365


class BulkForm(forms.Form):
    """One change for the selected rows; the rows themselves (case pks and the version each
    showed) come as `cases` and `version-<pk>` from the row checkboxes."""

    action = forms.ChoiceField(label="Change", choices=ACTIONS)
    attorney = forms.ChoiceField(
        label="Attorney", required=False, widget=LongSelect,
        help_text="Assigning: the case's attorney. Consultation: who meets the client.",
    )  # fmt: skip
    to_stage = forms.ChoiceField(label="Move to", required=False)
    consultation_date = forms.DateField(
        label="Consultation date", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    consultation_time = forms.TimeField(
        label="Consultation time", required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    consultation_mode = forms.ChoiceField(
        label="Consultation mode", required=False,
        choices=[("", "Not set")] + ConsultationMode.choices,
    )  # fmt: skip
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def __init__(self, *args, attorneys, user, **kwargs):
        """`attorneys`: (pk, name) choices, as the page already has them."""
        super().__init__(*args, auto_id="bulk_%s", **kwargs)
        self.attorneys = {str(pk): name for pk, name in attorneys}
        self.fields["attorney"].choices = [("", "Choose an attorney")] + list(attorneys)
        labels = dict(Stage.choices)
        self.fields["to_stage"].choices = [("", "Choose the stage")] + [
            (s, labels[s]) for s in BULK_STAGES
        ]
        # A paralegal is not offered assigning (the service refuses it anyway).
        if not user.has_perm("cases.assign_case"):
            self.fields["action"].widget.choices = [a for a in ACTIONS if a[0] != "assign"]
        self.helper = _helper("bulk")

    def clean_consultation_date(self):
        on = self.cleaned_data.get("consultation_date")
        start = today()
        if on and not start <= on <= start + timedelta(days=CONSULTATION_DAYS):
            raise forms.ValidationError(
                "Choose a date from today to one year ahead."
            )
        return on

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        needed = {"assign": ("attorney", "Choose the attorney to assign."),
                  "stage": ("to_stage", "Choose the stage to move to."),
                  "consultation": ("consultation_date", "Choose the consultation date.")}
        field, message = needed.get(action, (None, ""))
        if field and not cleaned.get(field) and field not in self.errors:
            self.add_error(field, message)
        if not self.errors:
            cleaned["versions"] = self._versions()
        return cleaned

    def _versions(self) -> dict[int, int]:
        """case pk -> the version its row showed; bounded before anything is looked up."""
        raw = list(dict.fromkeys(self.data.getlist("cases")))  # a row in two sections
        if len(raw) > MAX_BATCH:
            raise forms.ValidationError(
                f"Select at most {MAX_BATCH} cases at a time; {len(raw)} were selected. "
                "Nothing was changed."
            )
        unreadable = forms.ValidationError("The selection could not be read; reload the page.")
        versions = {}
        for value in raw:
            try:
                pk, version = int(value), int(self.data.get(f"version-{value}", ""))
            except ValueError:
                raise unreadable from None
            if not (0 < pk < 2**31 and 0 < version < 2**31):
                raise unreadable
            versions[pk] = version
        if not versions:
            raise forms.ValidationError("Select at least one case (the boxes in the rows).")
        return versions
