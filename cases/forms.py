"""Forms on the case page; each carries the case version the user saw."""

from datetime import date

from django import forms

from .choices import FilingType
from .i589.questions import DETAILS_LABELS
from .models import AsylumClaim, Court, Deadline, DeadlineKind, Entry, Priority, Stage
from .models.workspace import TriageAlerts
from .timezones import today
from .validators import EARLIEST, latest_ahead
from .workflow import REASON_MAX_LENGTH, allowed_transitions, moves_for, needs_reason

# The earliest deadline worth recording: the asylum rules this app applies date from 1990.
DEADLINES_FROM = date(1990, 1, 1)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _version_id(self)


def _version_id(form) -> None:
    """Every form on the case page carries the version: an id of its own for each (one
    page, one id), the name the views read unchanged."""
    name = type(form).__name__.removesuffix("Form").lower()
    form.fields["version"].widget.attrs["id"] = f"id_{form.prefix or name}_version"


class StageForm(VersionedForm):
    """The next stage, among the moves this user may make from here; where "Filed" can come
    next, the filing date and type with it, as the filing is what files the case; where
    "Declined" can, the reason and the attorney's confirmation it needs. They are plain
    fields, shown whatever is chosen (the page works without JavaScript), and read only
    for the stage they belong to."""

    to_stage = forms.ChoiceField(label="Move to")
    FILING_HINT = 'Only for "Filed".'
    reason = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the stage history. Needed to decline.",
    )  # fmt: skip
    CONFIRM_DECLINE = ("I confirm the firm declines this case, and the client will be told "
                       "so, with any deadline they still face.")  # fmt: skip

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        labels = dict(Stage.choices)
        allowed = moves_for(user, case.stage)
        # Nothing chosen until the user chooses: a preselected "Closed" was one click from
        # ending a case by mistake.
        self.fields["to_stage"].choices = [("", "Choose the next stage")] + [
            (s, labels[s]) for s in allowed
        ]
        self.fields["to_stage"].error_messages["required"] = "Choose the stage to move to."
        self.has_moves = bool(allowed)
        # The moves the workflow has from here that this user may not make (an attorney's).
        self.refused_moves = [labels[s] for s in allowed_transitions(case.stage)
                              if s not in allowed]  # fmt: skip
        if Stage.FILED in allowed:
            self.fields["filed_on"] = forms.DateField(
                required=False, label="Asylum application filed on", help_text=self.FILING_HINT,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )  # fmt: skip
            self.fields["filing_type"] = forms.ChoiceField(
                choices=[("", "—")] + FilingType.choices, required=False,
                help_text=self.FILING_HINT,
            )  # fmt: skip
        if Stage.DECLINED in allowed:
            self.fields["confirm_decline"] = forms.BooleanField(
                required=False, label=self.CONFIRM_DECLINE, help_text='Only for "Declined".'
            )

    @property
    def files_the_case(self) -> bool:
        return "filed_on" in self.fields and self.cleaned_data.get("to_stage") == Stage.FILED

    def clean(self):
        data = super().clean()
        to_stage = data.get("to_stage")
        if needs_reason(to_stage or "") and "reason" not in self.errors:
            if not data.get("reason", "").strip():
                self.add_error("reason", "Say why the firm declines the case: the reason is "
                                         "kept in the stage history.")
        if to_stage == Stage.DECLINED and not data.get("confirm_decline"):
            self.add_error("confirm_decline", "Tick this box to confirm the firm declines the "
                                              "case.")
        if not self.files_the_case:
            # Filled in by mistake for another stage: not recorded.
            data.pop("filed_on", None)
            data.pop("filing_type", None)
            return data
        filed_on = data.get("filed_on")
        if filed_on is None:
            if "filed_on" not in self.errors:
                self.add_error("filed_on", "Enter the date the application was filed: it meets "
                                           "the one-year deadline and starts the EAD clock.")
        elif filed_on > today():
            self.add_error("filed_on", "The filing date cannot be in the future.")
        elif filed_on < DEADLINES_FROM:
            self.add_error("filed_on", f"The filing date cannot be before "
                                       f"{DEADLINES_FROM:%Y-%m-%d}. Please check the year.")
        else:
            arrivals = [e.date for e in self.case.client.entries.all()]
            if arrivals and filed_on < min(arrivals):
                self.add_error("filed_on", f"This is before the client first entered the "
                                           f"United States ({min(arrivals):%Y-%m-%d}), where "
                                           f"the application is filed. Please check the date.")
        if not data.get("filing_type"):
            self.add_error("filing_type", "Choose affirmative (USCIS) or defensive (court).")
        return data

    @property
    def field_errors(self) -> bool:
        """A missing or wrong filing date, reason or confirmation is shown at its field; a
        stage that cannot follow (or a form from an older page) is a message."""
        return bool({"filed_on", "filing_type", "reason", "confirm_decline"} & set(self.errors))


class PriorityForm(VersionedForm):
    level = forms.ChoiceField(
        choices=[("", "As assessed by triage")] + Priority.choices, required=False
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000, label="Why")  # fmt: skip

    def __init__(self, *args, **kwargs):
        # The deadline form on the same page has a note too: ids of their own.
        kwargs.setdefault("auto_id", "id_priority_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("level") and not data.get("note", "").strip():
            self.add_error("note", "Say why you change the level the triage gave.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000,
                           label="Note")  # fmt: skip


class TranslationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _version_id(self)

    class Meta:
        model = AsylumClaim
        # The story's translations, then those of the I-589's Part B and C explanations
        # (the preparation questionnaire's answers): one form for every English text.
        fields = [f"{name}_en" for name in (*AsylumClaim.NARRATIVE_FIELDS, *DETAILS_LABELS)]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
        labels = {f"{name}_en": f"English: {label}" for name, label in DETAILS_LABELS.items()}


class DeadlineForm(forms.ModelForm):
    """A deadline an attorney enters or closes; computed ones follow their inputs instead."""

    class Meta:
        model = Deadline
        fields = ["kind", "due_date", "due_time", "court", "hearing_type", "status", "note"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"due_time": "Local time at the court (for hearings)."}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["kind"].choices = [
            (value, label) for value, label in DeadlineKind.choices if value != "one_year"
        ]
        self.fields["court"].queryset = Court.objects.filter(active=True)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        latest = latest_ahead()
        if due and not DEADLINES_FROM <= due <= latest:
            raise forms.ValidationError(f"Enter a date between {DEADLINES_FROM:%Y-%m-%d} and "
                                        f"{latest:%Y-%m-%d}: courts do not calendar further "
                                        f"ahead, and earlier dates are typing mistakes.")
        return due

    def clean(self):
        data = super().clean()
        kind, due = data.get("kind"), data.get("due_date")
        arrivals = [e.date for e in self.case.client.entries.all()]
        if due and arrivals and due < min(arrivals) and kind != "other":
            self.add_error("due_date", f"This is before the client's arrival "
                                       f"({min(arrivals):%Y-%m-%d}). Please check the date.")
        if kind == DeadlineKind.HEARING and not data.get("court"):
            self.add_error("court", "A hearing needs its court (for the place and time zone).")
        if kind in {DeadlineKind.EAD_FILING, DeadlineKind.EAD_GRANT}:
            claim = getattr(self.case.client, "claim", None)
            if not claim or not claim.filed_on:
                self.add_error("kind", "Record the asylum filing date first: the EAD dates are "
                                       "computed from it.")
            else:
                self.add_error("kind", "EAD dates are computed from the filing date and the "
                                       "stopped days; change those instead.")
        return data


class FilingForm(VersionedForm):
    filed_on = forms.DateField(
        required=False, label="Asylum application filed on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    filing_type = forms.ChoiceField(choices=[("", "—")] + FilingType.choices, required=False)
    ead_clock_stopped_days = forms.IntegerField(
        min_value=0, max_value=3650, label="Days the applicant stopped the EAD clock",
        help_text="Delays the applicant caused (e.g. a rescheduled interview) push the EAD "
                  "dates later.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        # The stage form on the same page has a filing date and type too: ids of their own.
        kwargs.setdefault("auto_id", "id_filing_%s")
        super().__init__(*args, **kwargs)

    def clean_filed_on(self):
        filed_on = self.cleaned_data["filed_on"]
        if filed_on and filed_on > today():
            raise forms.ValidationError("The filing date cannot be in the future.")
        if filed_on and filed_on < DEADLINES_FROM:
            raise forms.ValidationError(f"The filing date cannot be before "
                                        f"{DEADLINES_FROM:%Y-%m-%d}. Please check the year.")
        return filed_on


class ArrivalCorrectionForm(VersionedForm):
    entry = forms.ModelChoiceField(queryset=Entry.objects.none(), label="Entry")
    date = forms.DateField(label="Correct date",
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = case.client.entries.all()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > today():
            raise forms.ValidationError("An arrival cannot be in the future.")
        if day < EARLIEST:
            raise forms.ValidationError(f"An arrival cannot be before {EARLIEST:%Y-%m-%d}. "
                                        f"Please check the year.")
        return day


class AlertSettingsForm(forms.Form):
    """How the signed-in user wants new intakes e-mailed while on triage duty."""

    triage_alerts = forms.ChoiceField(
        label="New intakes", widget=forms.RadioSelect,
        error_messages={"required": "Choose how new intakes reach you.",
                        "invalid_choice": "Choose one of these two ways."},
    )  # fmt: skip

    def __init__(self, *args, digest_hours: int, **kwargs):
        super().__init__(*args, **kwargs)
        every = f"every {digest_hours} hour{'s' if digest_hours != 1 else ''}"
        self.fields["triage_alerts"].choices = [
            (TriageAlerts.DIGEST, f"Critical intakes at once, the others in one digest {every}"),
            (TriageAlerts.IMMEDIATE, "Every new intake at once, one e-mail each"),
        ]
