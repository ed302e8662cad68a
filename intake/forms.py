"""The intake wizard's forms: every check a client's answer needs."""

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cases import validators
from cases.choices import DocumentKind, MannerOfEntry, MaritalStatus, Relationship
from cases.models import AsylumClaim, Client, Court, Entry, FamilyMember
from cases.models.clients import NARRATIVE_LABELS

from . import uploads
from .layout import WizardForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(WizardForm, forms.Form):
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the firm stores my answers."),
        error_messages={"required": _("Please tick this box to continue.")},
    )
    no_relationship_yet = forms.BooleanField(
        label=_(
            "I understand that this form does not make the firm my lawyer until we both "
            "sign an engagement letter."
        ),
        error_messages={"required": _("Please tick this box to continue.")},
    )


class AboutYouForm(WizardForm, forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "family_name", "given_names", "family_name_native", "given_names_native",
            "other_names", "date_of_birth", "sex", "nationality", "country_of_birth",
            "passport_number", "languages", "preferred_language", "interpreter_needed",
            "email", "phone", "preferred_contact", "address_line1", "address_line2",
            "city", "state", "postal_code",
        ]  # fmt: skip
        labels = {
            "family_name": _("Family name (in Latin letters, as in your passport)"),
            "given_names": _("Given names (in Latin letters)"),
            "family_name_native": _("Family name in your own alphabet"),
            "given_names_native": _("Given names in your own alphabet"),
            "other_names": _("Other names you have used"),
            "date_of_birth": _("Date of birth"),
            "sex": _("Sex"),
            "nationality": _("Nationality"),
            "country_of_birth": _("Country of birth"),
            "passport_number": _("Passport number"),
            "languages": _("Languages you speak"),
            "preferred_language": _("Language we should write to you in"),
            "interpreter_needed": _("I need an interpreter"),
            "email": _("E-mail"),
            "phone": _("Phone number"),
            "preferred_contact": _("How should we contact you?"),
            "address_line1": _("Address in the US"),
            "address_line2": _("Apartment, suite, unit (optional)"),
            "city": _("City"),
            "state": _("State"),
            "postal_code": _("ZIP code"),
        }
        help_texts = {
            "other_names": _("Maiden name, earlier spellings, nicknames. Leave empty if none."),
            "phone": _("With the country code, for example +1 619 555 0100."),
            "languages": _("For example: Russian, English."),
            "passport_number": _("If you have one."),
        }
        widgets = {
            "date_of_birth": DATE_WIDGET,
        }

    def layout(self):
        return Layout(
            Fieldset(
                _("Your name"),
                "family_name", "given_names", "family_name_native", "given_names_native",
                "other_names",
            ),
            Fieldset(
                _("About you"),
                "date_of_birth", "sex", "nationality", "country_of_birth", "passport_number",
                "languages", "preferred_language", "interpreter_needed",
            ),
            Fieldset(_("How to reach you"), "email", "phone", "preferred_contact"),
            Fieldset(
                _("Where you live now"),
                "address_line1", "address_line2", "city", "state", "postal_code",
            ),
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].validators.append(validators.plausible_birth_date)
        for name in ("family_name", "given_names"):
            self.fields[name].validators.append(validators.latin_letters)

    def clean(self):
        data = super().clean()
        email, phone = data.get("email"), data.get("phone")
        channel = data.get("preferred_contact")
        # "Neither e-mail nor phone" is the model's constraint, checked after this.
        if channel == "email" and not email and "email" not in self.errors:
            self.add_error("email", _("You chose e-mail: please give your e-mail address."))
        if channel in {"phone", "sms", "whatsapp", "telegram", "signal"} and not phone:
            if "phone" not in self.errors:
                self.add_error("phone", _("You chose a phone channel: please give your number."))
        return data


class EntryForm(WizardForm, forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["date", "place", "manner", "visa_type"]
        labels = {
            "date": _("Date of entry"),
            "place": _("Place of entry"),
            "manner": _("How did you enter?"),
            "visa_type": _("Visa type"),
        }
        help_texts = {
            "place": _("City or border crossing, for example San Ysidro."),
            "visa_type": _("Only if you entered with a visa, for example B-2."),
        }
        widgets = {"date": DATE_WIDGET}

    def __init__(self, *args, date_of_birth=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth = date_of_birth
        self.fields["date"].validators.append(validators.not_in_future)

    def clean(self):
        data = super().clean()
        when = data.get("date")
        if when and self.date_of_birth and when < self.date_of_birth:
            self.add_error("date", _("This date is before your date of birth."))
        if data.get("manner") == MannerOfEntry.VISA and not data.get("visa_type"):
            self.add_error("visa_type", _("Please say which visa you entered with."))
        if data.get("manner") != MannerOfEntry.VISA:
            data["visa_type"] = ""
        return data


class BaseEntryFormSet(forms.BaseFormSet):
    row_label = _("Entry to the US")
    add_label = _("Add another entry")
    remove_label = _("Remove this entry")
    def clean(self):
        super().clean()
        dates = [
            f.cleaned_data["date"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("date")
        ]
        if len(dates) != len(set(dates)):
            raise forms.ValidationError(_("Two entries have the same date. Please remove one."))


EntryFormSet = formset_factory(
    EntryForm,
    formset=BaseEntryFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


class ArrivalForm(WizardForm, forms.ModelForm):
    hearing_court = forms.ModelChoiceField(
        queryset=Court.objects.filter(active=True),
        required=False,
        label=_("Immigration court of the hearing"),
    )
    # Typed with dashes and spaces; stored as A + 9 digits.
    a_number = forms.CharField(
        max_length=20,
        required=False,
        label=_("A-number (Alien Registration Number)"),
        help_text=_("If you have one: 8 or 9 digits, on papers from immigration."),
    )

    class Meta:
        model = Client
        fields = [
            "countries_transited", "current_status", "a_number", "detained",
            "detention_facility", "in_removal_proceedings", "notice_to_appear_date",
            "next_hearing_date", "hearing_court", "judge_filing_deadline",
            "prior_asylum_application", "prior_asylum_details", "unaccompanied_minor",
        ]  # fmt: skip
        labels = {
            "countries_transited": _("Countries you passed through on the way"),
            "current_status": _("Your immigration status now"),
            "detained": _("I am detained now (or the person I fill this in for is)"),
            "detention_facility": _("Where are you detained?"),
            "in_removal_proceedings": _(
                "I am in removal proceedings (I received a Notice to Appear)"
            ),
            "notice_to_appear_date": _("Date of the Notice to Appear"),
            "next_hearing_date": _("Date of the next court hearing"),
            "judge_filing_deadline": _("Filing deadline set by the judge"),
            "prior_asylum_application": _("I have applied for asylum in the US before"),
            "prior_asylum_details": _("When, where, and what happened"),
            "unaccompanied_minor": _("I came to the US as a child without a parent or guardian"),
        }
        help_texts = {
            "countries_transited": _("For example: Turkey, Mexico."),
            "detention_facility": _("Name of the facility and city."),
            "judge_filing_deadline": _("If the judge gave you a date to file your application."),
        }
        widgets = {
            "notice_to_appear_date": DATE_WIDGET,
            "next_hearing_date": DATE_WIDGET,
            "judge_filing_deadline": DATE_WIDGET,
            "prior_asylum_details": forms.Textarea(attrs={"rows": 3}),
        }

    def layout(self):
        return Layout(
            Fieldset(_("Your journey and status"), "countries_transited", "current_status",
                     "a_number"),
            Fieldset(_("Detention"), "detained",
                     self.show_if("detained", "detention_facility")),
            Fieldset(
                _("Immigration court"),
                "in_removal_proceedings",
                self.show_if(
                    "in_removal_proceedings",
                    "notice_to_appear_date", "next_hearing_date", "hearing_court",
                    "judge_filing_deadline",
                ),
            ),
            Fieldset(
                _("Earlier applications"),
                "prior_asylum_application",
                self.show_if("prior_asylum_application", "prior_asylum_details"),
                "unaccompanied_minor",
            ),
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice_to_appear_date"].validators.append(validators.not_in_future)
        self.fields["next_hearing_date"].validators.append(validators.not_in_past)

    def clean_a_number(self):
        return validators.normalise_a_number(self.cleaned_data.get("a_number", ""))

    def clean(self):
        data = super().clean()
        # Answers to questions that do not apply are dropped, not kept hidden.
        if data.get("detained"):
            if not data.get("detention_facility") and "detention_facility" not in self.errors:
                self.add_error("detention_facility", _("Please tell us where you are detained."))
        else:
            data["detention_facility"] = ""
        if not data.get("in_removal_proceedings"):
            for name in ("notice_to_appear_date", "next_hearing_date", "hearing_court",
                         "judge_filing_deadline"):
                data[name] = None
                self.errors.pop(name, None)
        elif data.get("next_hearing_date") and not data.get("hearing_court"):
            self.add_error("hearing_court", _("Please choose the court of your hearing."))
        if not data.get("prior_asylum_application"):
            data["prior_asylum_details"] = ""
        return data


# The date that makes a stepchild or an adopted child a child in the sense of INA 101(b)(1).
CHILD_DATES = {
    Relationship.STEPCHILD: (
        "parent_marriage_date", _("Please give the date you married this child's parent.")
    ),
    Relationship.ADOPTED_CHILD: ("adoption_date", _("Please give the date of the adoption.")),
}


class FamilyMemberForm(WizardForm, forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = [
            "relationship", "family_name", "given_names", "name_native", "date_of_birth", "sex",
            "nationality", "marital_status", "current_location", "travelling_with_client",
            "in_united_states", "parent_marriage_date", "adoption_date",
        ]  # fmt: skip
        labels = {
            "relationship": _("Relationship to you"),
            "in_united_states": _("They are in the United States now"),
            "parent_marriage_date": _("For a stepchild: the date you married their parent"),
            "adoption_date": _("For an adopted child: the date of the adoption"),
            "family_name": _("Family name (Latin letters)"),
            "given_names": _("Given names (Latin letters)"),
            "name_native": _("Full name in their own alphabet"),
            "date_of_birth": _("Date of birth"),
            "sex": _("Sex"),
            "nationality": _("Nationality"),
            "marital_status": _("Marital status"),
            "current_location": _("Where are they now?"),
            "travelling_with_client": _("Travelling with me"),
        }
        help_texts = {"current_location": _("Country and city.")}
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "parent_marriage_date": DATE_WIDGET,
            "adoption_date": DATE_WIDGET,
        }

    def __init__(self, *args, client_birth_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_birth_date = client_birth_date
        self.fields["date_of_birth"].validators.append(validators.plausible_birth_date)
        for name in ("family_name", "given_names"):
            self.fields[name].validators.append(validators.latin_letters)
        for name in ("parent_marriage_date", "adoption_date"):
            self.fields[name].validators.append(validators.not_in_future)

    def clean(self):
        data = super().clean()
        relationship, born = data.get("relationship"), data.get("date_of_birth")
        mine = self.client_birth_date
        is_child = relationship in {Relationship.CHILD, Relationship.STEPCHILD,
                                    Relationship.ADOPTED_CHILD}  # fmt: skip
        if is_child and born and mine and born <= mine:
            self.add_error("date_of_birth", _("A child cannot be older than you. Please check."))
        if relationship == Relationship.PARENT and born and mine and born >= mine:
            self.add_error("date_of_birth", _("A parent cannot be younger than you. Please check."))
        if relationship == Relationship.SPOUSE and data.get("marital_status") not in {
            None, MaritalStatus.MARRIED, MaritalStatus.SEPARATED, MaritalStatus.LEGALLY_SEPARATED,
        }:  # fmt: skip
            self.add_error(
                "marital_status", _("A spouse is married to you: choose Married or Separated.")
            )
        self._child_dates(data)
        return data

    def _child_dates(self, data) -> None:
        """The date that makes a stepchild or an adopted child a child for the application,
        asked only of them (answers for anyone else are dropped)."""
        relationship, born = data.get("relationship"), data.get("date_of_birth")
        for kind, (name, message) in CHILD_DATES.items():
            if relationship != kind:
                data[name] = None
                self.errors.pop(name, None)
            elif not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        adopted = data.get("adoption_date")
        if adopted and born and adopted < born:
            self.add_error("adoption_date", _("This date is before the child's birth."))


class BaseFamilyFormSet(forms.BaseFormSet):
    row_label = _("Family member")
    add_label = _("Add a family member")
    remove_label = _("Remove this family member")


FamilyFormSet = formset_factory(
    FamilyMemberForm, formset=BaseFamilyFormSet, extra=0, max_num=30, validate_max=True
)


class ClaimForm(WizardForm, forms.ModelForm):
    class Meta:
        model = AsylumClaim
        fields = [
            "ground_race", "ground_religion", "ground_nationality", "ground_political_opinion",
            "ground_social_group", "political_activity", "mobilisation_notice",
            "prior_military_service", "conscientious_objector", "past_harm", "feared_harm",
            "harmed_by", "reported", "reported_details", "evidence",
        ]  # fmt: skip
        labels = {
            **NARRATIVE_LABELS,
            "ground_race": _("My race or ethnicity"),
            "ground_religion": _("My religion"),
            "ground_nationality": _("My nationality (citizenship, or national or ethnic origin)"),
            "ground_political_opinion": _("My political opinion"),
            "ground_social_group": _("A particular social group I belong to (for example my "
                                     "family, LGBTQ+)"),
            "mobilisation_notice": _("I received a military call-up or mobilisation notice"),
            "prior_military_service": _("I served in the military before"),
            "conscientious_objector": _("I refuse to fight for reasons of conscience or faith"),
            "reported": _("Did you report it to the police or authorities?"),
        }
        help_texts = {
            # The social group's examples used to steer refusing the draft there alone; this
            # says where else it can belong and leaves the choice to the lawyer.
            "ground_political_opinion": _(
                "Refusing to fight in a war can be about your political opinion or your "
                "religion, or about refusing to take part in acts that violate international "
                "law. Tick all that fit: our lawyer will look at it with you."
            ),
            "past_harm": _("Write in your own language, in your own words. Dates and places help."),
            "feared_harm": _("Write in your own language, in your own words."),
            "evidence": _("Documents, photos, messages, medical records, witnesses."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("political_activity", "past_harm", "feared_harm", "harmed_by",
                         "reported_details", "evidence")
        }  # fmt: skip

    def layout(self):
        return Layout(
            Fieldset(
                _("Why do you fear return? Tick all that apply."),
                "ground_race", "ground_religion", "ground_nationality",
                "ground_political_opinion", "ground_social_group",
            ),
            Fieldset(
                _("Military service"),
                "mobilisation_notice", "prior_military_service", "conscientious_objector",
            ),
            Fieldset(
                _("Your story"),
                "political_activity", "past_harm", "feared_harm", "harmed_by", "reported",
                "reported_details", "evidence",
            ),
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported"].required = False


class DocumentUploadForm(WizardForm, forms.Form):
    """Uploads are judged by their content, never by their name or the browser's word."""

    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("What is this document?"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, existing_count=0, existing_bytes=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_count = existing_count
        self.existing_bytes = existing_bytes
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.existing_count >= settings.INTAKE_UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                _("You can upload at most %(count)d files."),
                params={"count": settings.INTAKE_UPLOAD_MAX_FILES},
            )
        if upload.size > settings.INTAKE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(size)d MB."),
                params={"size": settings.INTAKE_UPLOAD_MAX_BYTES // (1024 * 1024)},
            )
        if self.existing_bytes + upload.size > settings.INTAKE_UPLOAD_MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("All your files together may be at most %(size)d MB."),
                params={"size": settings.INTAKE_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)},
            )
        detected = uploads.detect(upload)
        if detected is None:
            raise forms.ValidationError(_("Please upload a PDF, JPEG or PNG file."))
        upload.detected_type = detected
        return upload


class ResumeLinkForm(WizardForm, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send you a private link to continue, valid for 30 days."),
    )
