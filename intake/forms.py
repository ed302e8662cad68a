"""The intake wizard's forms: every check a client's answer needs."""

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cases import validators
from cases.choices import (
    STATUSES_THAT_END,
    DocumentKind,
    FilingType,
    MannerOfEntry,
    MaritalStatus,
    PriorApplicationOutcome,
    Relationship,
)
from cases.deadlines import UNACCOMPANIED_AGE_LIMIT
from cases.family import UNMARRIED, birthday, qualifies_as_child
from cases.models import AsylumClaim, Client, Court, Entry, FamilyMember
from cases.models.clients import NARRATIVE_LABELS
from cases.timezones import today

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
            "other_names", "date_of_birth", "sex", "marital_status", "nationality",
            "country_of_birth", "passport_number", "languages", "preferred_language",
            "interpreter_needed", "email", "phone", "preferred_contact", "address_line1",
            "address_line2", "city", "state", "postal_code",
        ]  # fmt: skip
        labels = {
            "family_name": _("Family name (in Latin letters, as in your passport)"),
            "given_names": _("Given names (in Latin letters)"),
            "family_name_native": _("Family name in your own alphabet"),
            "given_names_native": _("Given names in your own alphabet"),
            "other_names": _("Other names you have used"),
            "date_of_birth": _("Date of birth"),
            "sex": _("Sex"),
            "marital_status": _("Your marital status"),
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
                "date_of_birth", "sex", "marital_status", "nationality", "country_of_birth",
                "passport_number",
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
        # Blank only on records made before it was asked; the intake always asks it.
        self.fields["marital_status"].required = True
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

    def arrival_dates(self) -> list:
        """The valid entry dates given, for the step's other questions to check against."""
        self.is_valid()
        return [f.cleaned_data["date"] for f in self.forms
                if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
                and f.cleaned_data.get("date")]  # fmt: skip

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
    # A stranger's TOTAL_FORMS never builds more rows than one past the limit (the
    # "too many" message needs that one).
    absolute_max=21,
)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PRIOR_PENDING_FILING = {
    PriorApplicationOutcome.PENDING_USCIS: FilingType.AFFIRMATIVE,
    PriorApplicationOutcome.PENDING_COURT: FilingType.DEFENSIVE,
}


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
    # Questions that only open others; their answers live in the dates they open.
    missed_hearing = forms.BooleanField(required=False, label=_("I missed a court hearing"))
    ice_check_ins = forms.BooleanField(
        required=False, label=_("I have to report to ICE (check-ins)")
    )
    parent_or_guardian_in_us = forms.TypedChoiceField(
        choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        label=_("Is one of your parents or a legal guardian in the US and able to care for "
                "you?"),
        error_messages={"required": _("Please answer yes or no.")},
    )  # fmt: skip

    class Meta:
        model = Client
        fields = [
            "left_country_on", "returned_since_leaving", "countries_transited",
            "current_status", "status_ends_on", "a_number", "detained", "detention_facility",
            "in_removal_proceedings", "notice_to_appear_date", "next_hearing_date",
            "hearing_court", "judge_filing_deadline", "missed_hearing_on",
            "prior_removal_order", "next_ice_check_in", "prior_asylum_application",
            "prior_asylum_filed_on", "prior_asylum_outcome", "prior_asylum_details",
            "parent_or_guardian_in_us",
        ]  # fmt: skip
        labels = {
            "left_country_on": _("Date you last left your country"),
            "returned_since_leaving": _("I have gone back to my country since I first left"),
            "countries_transited": _("Countries you passed through on the way"),
            "current_status": _("Your immigration status now"),
            "status_ends_on": _("Date your parole or TPS ends"),
            "detained": _("I am detained now (or the person I fill this in for is)"),
            "detention_facility": _("Where are you detained?"),
            "in_removal_proceedings": _(
                "I am in removal proceedings (I received a Notice to Appear)"
            ),
            "notice_to_appear_date": _("Date of the Notice to Appear"),
            "next_hearing_date": _("Date of the next court hearing"),
            "judge_filing_deadline": _("Filing deadline set by the judge"),
            "missed_hearing_on": _("Date of the hearing you missed"),
            "prior_removal_order": _("I was ordered removed (deported) from the US before"),
            "next_ice_check_in": _("Date of your next ICE check-in"),
            "prior_asylum_application": _("I have applied for asylum in the US before"),
            "prior_asylum_filed_on": _("Date that application was filed"),
            "prior_asylum_outcome": _("What happened to it?"),
            "prior_asylum_details": _("When, where, and what happened"),
        }
        help_texts = {
            "left_country_on": _("Your country of nationality. An approximate date is fine."),
            "countries_transited": _("For example: Turkey, Mexico."),
            "status_ends_on": _("On your parole or TPS document (I-94 or EAD). If you know it."),
            "detention_facility": _("Name of the facility and city."),
            "judge_filing_deadline": _("If the judge gave you a date to file your application."),
            "missed_hearing_on": _("The judge may have ordered you removed that day. There are "
                                   "short deadlines to ask to reopen the case."),
        }  # fmt: skip
        widgets = {
            **{name: DATE_WIDGET for name in (
                "left_country_on", "status_ends_on", "notice_to_appear_date",
                "next_hearing_date", "judge_filing_deadline", "missed_hearing_on",
                "next_ice_check_in", "prior_asylum_filed_on",
            )},
            "prior_asylum_details": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip

    def __init__(self, *args, date_of_birth=None, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth, self.entries = date_of_birth, entries
        if not _may_be_a_child(date_of_birth):
            # An adult is never an unaccompanied child: the question is not asked.
            del self.fields["parent_or_guardian_in_us"]
        for name in ("left_country_on", "notice_to_appear_date", "missed_hearing_on",
                     "prior_asylum_filed_on"):
            self.fields[name].validators.append(validators.not_in_future)
        for name in ("next_hearing_date", "judge_filing_deadline", "next_ice_check_in"):
            self.fields[name].validators.append(validators.upcoming)
        self.fields["status_ends_on"].validators += [validators.not_long_ago,
                                                     validators.not_far_ahead]
        self.helper.layout = self._layout()

    def _layout(self):
        return Layout(
            Fieldset(_("Your journey and status"), "left_country_on", "returned_since_leaving",
                     "countries_transited", "current_status",
                     self.show_if("current_status", "status_ends_on",
                                  values=tuple(STATUSES_THAT_END)),
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
                "missed_hearing", self.show_if("missed_hearing", "missed_hearing_on"),
                "prior_removal_order",
                "ice_check_ins", self.show_if("ice_check_ins", "next_ice_check_in"),
            ),
            Fieldset(
                _("Earlier applications"),
                "prior_asylum_application",
                self.show_if("prior_asylum_application", "prior_asylum_filed_on",
                             "prior_asylum_outcome", "prior_asylum_details"),
            ),
            *([Fieldset(_("Your parents"), "parent_or_guardian_in_us")]
              if "parent_or_guardian_in_us" in self.fields else []),
        )  # fmt: skip

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
            self._drop(data, "notice_to_appear_date", "next_hearing_date", "hearing_court",
                       "judge_filing_deadline")
        elif data.get("next_hearing_date") and not data.get("hearing_court"):
            self.add_error("hearing_court", _("Please choose the court of your hearing."))
        if data.get("current_status") not in STATUSES_THAT_END:
            self._drop(data, "status_ends_on")
        self._opened_by("missed_hearing", "missed_hearing_on", data,
                        _("Please give the date of the hearing you missed."))
        self._opened_by("ice_check_ins", "next_ice_check_in", data,
                        _("Please give the date of your next check-in."))
        if data.get("prior_asylum_application"):
            if data.get("prior_asylum_outcome") in PRIOR_PENDING_FILING:
                self._opened_by("prior_asylum_application", "prior_asylum_filed_on", data,
                                _("Please give the date it was filed, even approximately."))
        else:
            data["prior_asylum_details"], data["prior_asylum_outcome"] = "", ""
            self._drop(data, "prior_asylum_filed_on")
        self._check_dates_against_arrival(data)
        return data

    def _drop(self, data, *names) -> None:
        for name in names:
            data[name] = None
            self.errors.pop(name, None)

    def _opened_by(self, box: str, name: str, data, message) -> None:
        """The date `box` asks for: required when ticked, dropped when not."""
        if not data.get(box):
            self._drop(data, name)
        elif not data.get(name) and name not in self.errors:
            self.add_error(name, message)

    def _check_dates_against_arrival(self, data) -> None:
        arrivals = self.entries.arrival_dates() if self.entries is not None else []
        last = max(arrivals, default=None)
        left, ends = data.get("left_country_on"), data.get("status_ends_on")
        if left and self.date_of_birth and left < self.date_of_birth:
            self.add_error("left_country_on", _("This date is before your date of birth."))
        if left and last and left > last:
            self.add_error("left_country_on", _(
                "This is after your last arrival in the US (%(date)s). Please check the date."
            ) % {"date": _shown(last)})
        if ends and last and ends < last:
            self.add_error("status_ends_on", _(
                "This is before your last arrival in the US (%(date)s). Please check the date."
            ) % {"date": _shown(last)})
        filed = data.get("prior_asylum_filed_on")
        if filed and arrivals and filed < min(arrivals):
            self.add_error("prior_asylum_filed_on", _(
                "This is before you first arrived in the US (%(date)s). Please check the date."
            ) % {"date": _shown(min(arrivals))})


def _shown(day) -> str:
    """A date as the client's language writes it, inside a message."""
    return formats.date_format(day, "DATE_FORMAT")


def _may_be_a_child(date_of_birth) -> bool:
    """Under 18 today: the unaccompanied-child question applies. Without a valid birth date
    it is not asked yet; the submit checks this step again once the date is right."""
    return date_of_birth is not None and today() < birthday(
        date_of_birth, UNACCOMPANIED_AGE_LIMIT
    )


# The date that makes a stepchild or an adopted child a child in the sense of INA 101(b)(1).
# For each: the date asked, the message when it is missing, and when it is too late for the
# relative to count as a child (cases.family.qualifies_as_child decides).
CHILD_DATES = {
    Relationship.STEPCHILD: (
        "parent_marriage_date", _("Please give the date you married this child's parent."),
        _("You married their parent after this child turned 18: for the application "
          "they count as \"Other relative\", not as a stepchild. Please check the "
          "date or change the relationship."),
    ),
    Relationship.ADOPTED_CHILD: (
        "adoption_date", _("Please give the date of the adoption."),
        _("The adoption was after this child turned 16: for the application they count "
          "as \"Other relative\", not as an adopted child. Please check the date or "
          "change the relationship."),
    ),
}  # fmt: skip


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

    def __init__(self, *args, client_birth_date=None, client_marital_status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_birth_date = client_birth_date
        self.client_marital_status = client_marital_status
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
        if relationship == Relationship.SPOUSE and self.client_marital_status in UNMARRIED:
            self.add_error("relationship", _(
                "You said you are not married. Please check your marital status on the "
                "\"About you\" step, or choose another relationship (a former spouse is "
                "\"Other relative\")."
            ))
        self._child_dates(data)
        return data

    def _child_dates(self, data) -> None:
        """The date that makes a stepchild or an adopted child a child for the application,
        asked only of them (answers for anyone else are dropped)."""
        relationship, born = data.get("relationship"), data.get("date_of_birth")
        for kind, (name, missing, too_late) in CHILD_DATES.items():
            if relationship != kind:
                data[name] = None
                self.errors.pop(name, None)
            elif not data.get(name):
                if name not in self.errors:
                    self.add_error(name, missing)
            elif born and not qualifies_as_child(kind, born, data.get("parent_marriage_date"),
                                                 data.get("adoption_date")):  # fmt: skip
                self.add_error(name, too_late)
        adopted = data.get("adoption_date")
        if adopted and born and adopted < born:
            self.add_error("adoption_date", _("This date is before the child's birth."))


class BaseFamilyFormSet(forms.BaseFormSet):
    row_label = _("Family member")
    add_label = _("Add a family member")
    remove_label = _("Remove this family member")


FamilyFormSet = formset_factory(
    FamilyMemberForm, formset=BaseFamilyFormSet, extra=0, max_num=30, validate_max=True,
    absolute_max=31,
)


class ClaimForm(WizardForm, forms.ModelForm):
    class Meta:
        model = AsylumClaim
        fields = [
            "ground_race", "ground_religion", "ground_nationality", "ground_political_opinion",
            "ground_social_group", "political_activity", "past_harm", "feared_harm",
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
                _("Your story"),
                "political_activity", "past_harm", "feared_harm", "harmed_by", "reported",
                "reported_details", "evidence",
            ),
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported"].required = False


class MilitaryForm(WizardForm, forms.ModelForm):
    """The draft and military service: for the men fleeing mobilisation, the heart of the
    claim. Shares the claim's prefix, so its answers sit beside the claim's."""

    class Meta:
        model = AsylumClaim
        fields = [
            "mobilisation_notice", "notice_received_on", "notice_served",
            "prior_military_service", "service_type", "service_from", "service_to",
            "military_specialty", "deployments", "reserve_category",
            "conscientious_objector", "objection_religious", "objection_political",
            "objection_this_war", "alternative_service_sought", "criminal_case_or_wanted",
            "antiwar_arrested", "relatives_approached", "minority_ethnicity_or_religion",
            "minority_details",
        ]  # fmt: skip
        labels = {
            "mobilisation_notice": _("I received a military call-up or mobilisation notice"),
            "notice_received_on": _("Date you received it"),
            "notice_served": _("How was it delivered?"),
            "prior_military_service": _("I served in the military before"),
            "service_type": _("How did you serve?"),
            "service_from": _("Service from"),
            "service_to": _("Service until"),
            "military_specialty": _("Military specialty or rank"),
            "deployments": _("Where were you sent during your service?"),
            "reserve_category": _("Your category in the military reserve"),
            "conscientious_objector": _("I refuse to fight for reasons of conscience or faith"),
            "objection_religious": _("Because of my religion"),
            "objection_political": _("Because of my political beliefs"),
            "objection_this_war": _("I refuse to take part in this war"),
            "alternative_service_sought": _("I asked for alternative civilian service"),
            "criminal_case_or_wanted": _("A criminal case was opened against me, or I am on "
                                         "a wanted list"),
            "antiwar_arrested": _("I was detained or arrested for speaking against the war"),
            "relatives_approached": _("Police or military officials came to my relatives or "
                                      "my home looking for me"),
            "minority_ethnicity_or_religion": _("I belong to an ethnic or religious minority"),
            "minority_details": _("Which one?"),
        }  # fmt: skip
        help_texts = {
            "military_specialty": _("As written in your military ID, if you have one."),
            "deployments": _("Places and dates, in your own words. Leave empty if none."),
            "reserve_category": _("If your country keeps one (it is in the military ID)."),
        }
        widgets = {
            "notice_received_on": DATE_WIDGET,
            "service_from": DATE_WIDGET,
            "service_to": DATE_WIDGET,
            "deployments": forms.Textarea(attrs={"rows": 3}),
        }

    def layout(self):
        return Layout(
            Fieldset(
                _("Military service and the draft"),
                "mobilisation_notice",
                self.show_if("mobilisation_notice", "notice_received_on", "notice_served"),
                "prior_military_service",
                self.show_if("prior_military_service", "service_type", "service_from",
                             "service_to", "military_specialty", "deployments"),
                "reserve_category",
                "conscientious_objector",
                self.show_if("conscientious_objector", "objection_religious",
                             "objection_political", "objection_this_war",
                             "alternative_service_sought"),
                "criminal_case_or_wanted", "antiwar_arrested", "relatives_approached",
                "minority_ethnicity_or_religion",
                self.show_if("minority_ethnicity_or_religion", "minority_details"),
            ),
        )  # fmt: skip

    OPENED_BY = {
        "mobilisation_notice": ("notice_received_on", "notice_served"),
        "prior_military_service": ("service_type", "service_from", "service_to",
                                   "military_specialty", "deployments"),
        "conscientious_objector": ("objection_religious", "objection_political",
                                   "objection_this_war", "alternative_service_sought"),
        "minority_ethnicity_or_religion": ("minority_details",),
    }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("notice_received_on", "service_from", "service_to"):
            self.fields[name].validators.append(validators.not_in_future)

    def clean(self):
        data = super().clean()
        for box, names in self.OPENED_BY.items():
            if data.get(box):
                continue
            for name in names:  # answers to questions that do not apply are dropped
                data[name] = self.fields[name].to_python(None)
                self.errors.pop(name, None)
        begun, ended = data.get("service_from"), data.get("service_to")
        if begun and ended and ended < begun:
            self.add_error("service_to", _("This is before the start of your service."))
        return data


class DocumentUploadForm(WizardForm, forms.Form):
    """Uploads are judged by their content, never by their name or the browser's word."""

    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("What is this document?"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, existing_count=0, existing_bytes=0, limited=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limited = limited
        self.existing_count = existing_count
        self.existing_bytes = existing_bytes
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.limited:  # before any parsing: parsing is what a flood of files would cost
            raise forms.ValidationError(
                _("You have uploaded many files in a short time. Please wait an hour and try "
                  "again; your answers are saved.")
            )
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
        try:
            checked = uploads.check(upload)
        except uploads.Refused as refused:
            raise forms.ValidationError(refused.message, params=refused.params) from None
        upload.detected_type = checked.content_type
        return upload


class ResumeLinkForm(WizardForm, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "We will send you a private link to continue, valid for 30 days. It works once: "
            "each time you save, we send a new one."
        ),
    )


class ResumeCheckForm(WizardForm, forms.Form):
    """Asked before a resumed draft is shown on a new device: one answer only its owner knows
    (the date of birth in the draft, or with none yet the address the link was sent to)."""

    date_of_birth = forms.DateField(label=_("Your date of birth"), widget=DATE_WIDGET)
    email = forms.EmailField(label=_("The e-mail address we sent the link to"))

    def __init__(self, *args, ask_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["date_of_birth" if ask_email else "email"]
