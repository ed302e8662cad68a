"""Forms of the everyday case work beside the attorney's: the client's contact details, who
works the case, and the consultation. Each carries the case version the user saw."""

import re
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from .contacts import CONTACT_FIELDS, LABELS
from .forms import VersionedForm
from .models import Client, ConsultationMode, Stage
from .paralegals import ATTORNEYS_GROUP, PARALEGALS_GROUP
from .timezones import today
from .workflow import allowed_transitions

PHONE_CHANNELS = {"phone", "sms", "whatsapp", "telegram", "signal"}
ZIP = re.compile(r"^\d{5}(-\d{4})?$")
# How far ahead a consultation can be booked: a date beyond it is a typo of the year.
CONSULTATION_DAYS_AHEAD = 365


def _members(group: str):
    return get_user_model().objects.filter(groups__name=group, is_active=True).order_by(
        "username"
    )


class ContactForm(forms.ModelForm):
    """The model's own validation (E.164 phone, the e-mail or phone constraint), with each
    message beside its field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Client
        fields = list(CONTACT_FIELDS)
        labels = LABELS
        help_texts = {"phone": "With the country code, e.g. +1 619 555 0100."}

    def __init__(self, *args, **kwargs):
        # Ids of its own: other forms on the case page have fields named alike.
        kwargs.setdefault("auto_id", "id_contact_%s")
        super().__init__(*args, **kwargs)

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and code != self.initial.get("postal_code") and not ZIP.match(code):
            raise forms.ValidationError("Enter a US ZIP code: 5 digits, or 5+4 (92101-1234).")
        return code

    def clean(self):
        data = super().clean()
        email, phone, channel = data.get("email"), data.get("phone"), data.get("preferred_contact")
        # Said here, beside the field, rather than as the model constraint's general message
        # (a field with an error leaves the constraint unchecked by the form).
        if not email and not phone and not {"email", "phone"} & set(self.errors):
            self.add_error("email", "Give an e-mail address or a phone number: the client must "
                                    "have one way to be reached.")  # fmt: skip
        elif channel == "email" and not email and "email" not in self.errors:
            self.add_error("email", "E-mail is the preferred contact: give the address, or "
                                    "choose another channel.")  # fmt: skip
        elif channel in PHONE_CHANNELS and not phone and "phone" not in self.errors:
            self.add_error("phone", "A phone channel is the preferred contact: give the number, "
                                    "or choose another channel.")  # fmt: skip
        return data

    @property
    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class TeamForm(VersionedForm):
    """The attorney's assign form: the case's attorney and, beside them, its paralegal."""

    attorney = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Unassigned"
    )
    paralegal = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="No paralegal"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attorney"].queryset = _members(ATTORNEYS_GROUP)
        self.fields["paralegal"].queryset = _members(PARALEGALS_GROUP)


class ParalegalSelfForm(VersionedForm):
    """A paralegal taking the case, or letting it go."""

    action = forms.ChoiceField(choices=[("take", "Take"), ("release", "Let go")])


class ConsultationForm(VersionedForm):
    """Day, time (the firm's clock, settings.TIME_ZONE), attorney and mode; an empty day with
    "cancel" ticked takes the consultation off."""

    day = forms.DateField(
        required=False, label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    at = forms.TimeField(
        required=False, label="Time", help_text="The firm's local time.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    attorney = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Choose"
    )
    mode = forms.ChoiceField(choices=[("", "Choose")] + ConsultationMode.choices,
                             required=False, label="How")  # fmt: skip
    cancel = forms.BooleanField(required=False, label="Cancel the consultation")

    def __init__(self, *args, case=None, **kwargs):
        kwargs.setdefault("auto_id", "id_consultation_%s")
        super().__init__(*args, **kwargs)
        self.fields["attorney"].queryset = _members(ATTORNEYS_GROUP)
        # The stage stays its own move (and its own audit row); offered here where the
        # workflow allows it, unticked: a booking is not always the firm's decision yet.
        if case is not None and Stage.CONSULTATION in allowed_transitions(case.stage):
            self.fields["move_stage"] = forms.BooleanField(
                required=False, label="Also move the case to “Consultation scheduled”"
            )

    def clean(self):
        data = super().clean()
        if data.get("cancel"):
            return {**data, "day": None, "at": None, "attorney": None, "mode": "",
                    "move_stage": False}  # fmt: skip
        day = data.get("day")
        if day is None:
            if "day" not in self.errors:
                self.add_error("day", "Choose the date (or tick \"Cancel the consultation\").")
            return data
        now = timezone.localtime()
        if day < today():
            self.add_error("day", "The date has passed: choose today or a later day.")
        elif day == today() and data.get("at") and data["at"] < now.time().replace(tzinfo=None):
            self.add_error("at", "That time has passed today: choose a later time.")
        elif day > today() + timedelta(days=CONSULTATION_DAYS_AHEAD):
            self.add_error("day", f"That is more than {CONSULTATION_DAYS_AHEAD} days ahead: "
                                  f"please check the year.")  # fmt: skip
        required = {"at": "Give the time: the client is told the day and the time.",
                    "attorney": "Choose the attorney who holds the consultation.",
                    "mode": "Choose phone, video or office: the client is told how to join."}
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data
