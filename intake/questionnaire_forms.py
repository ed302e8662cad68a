"""The preparation questionnaire's forms (intake:prepare_step): the Form I-589 items the
first intake does not ask, each beside its part and item number in a comment."""

import re
from datetime import timedelta

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cases import validators
from cases.choices import MaritalStatus, Relationship
from cases.family import CHILDREN
from cases.models import Client, Employment, FamilyMember, Residence, Schooling
from cases.models.clients import LONG_TEXT
from cases.timezones import today

from .forms import DATE_WIDGET, YES_NO, BaseEntryFormSet, EntryForm
from .layout import WizardForm

# The form asks month and year for addresses, schools and jobs; the day is kept as the 1st.
MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%m/%Y"]
MARRIED = {MaritalStatus.MARRIED, MaritalStatus.SEPARATED, MaritalStatus.LEGALLY_SEPARATED}
# Part A.II asks these of a spouse and each child; parents and siblings get A.III item 5.
SPOUSE_AND_CHILDREN = {Relationship.SPOUSE, *CHILDREN}

SSN = re.compile(r"^\d{9}$")
USCIS_ACCOUNT = re.compile(r"^\d{12}$")
I94 = re.compile(r"^[0-9A-Z]{11}$")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-.]", "", value or "").upper()


def _bounded_document_date(value):
    """A passport or status that expires: not before 1900, not more than 11 years ahead
    (a ten-year passport issued today, and a typo'd year beyond)."""
    validators.not_long_ago(value)
    if value and value > today() + timedelta(days=11 * 366):
        raise ValidationError(_("This date is too far ahead. Please check the year."))


def _month_field(label):
    return forms.DateField(label=label, required=False, widget=MONTH_WIDGET,
                           input_formats=MONTH_FORMATS,
                           validators=[validators.not_in_future])  # fmt: skip


class PeriodRowForm(WizardForm, forms.ModelForm):
    """A row of Part A.III (an address, a school, a job): from and until as month and year,
    checked against each other and the client's birth."""

    until_help = None

    def __init__(self, *args, client_birth_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_birth_date = client_birth_date
        self.fields["from_on"] = _month_field(_("From (month and year)"))
        self.fields["to_on"] = _month_field(_("Until (month and year)"))
        if self.until_help:
            self.fields["to_on"].help_text = self.until_help

    def clean(self):
        data = super().clean()
        begun, ended = data.get("from_on"), data.get("to_on")
        if begun and ended and ended < begun:
            self.add_error("to_on", _("This is before the start date. Please check."))
        born = self.client_birth_date
        if begun and born and begun < born.replace(day=1):
            self.add_error("from_on", _("This date is before your date of birth."))
        return data


class PrepareAboutForm(WizardForm, forms.ModelForm):
    """Part A.I: who the client is, as the passport and the US government know them."""

    mailing_different = forms.BooleanField(
        required=False, label=_("My mailing address is different from where I live")
    )

    class Meta:
        model = Client
        fields = [
            # A.I items 4-7 (names), 12 (birth), 11 (marital status), 13 (city and country
            # of birth).
            "family_name", "given_names", "family_name_native", "given_names_native",
            "other_names", "date_of_birth", "marital_status", "city_of_birth",
            "country_of_birth",
            # A.I item 9 (mailing address, if different from the residence).
            "mailing_in_care_of", "mailing_line1", "mailing_line2", "mailing_city",
            "mailing_state", "mailing_postal_code",
            # A.I items 15 (nationality at birth), 16 (race, ethnic or tribal group), 17.
            "nationality_at_birth", "ethnicity", "religion",
            # A.I items 3 (SSN) and 2 (USCIS online account).
            "ssn", "uscis_account_number",
            # A.I items 20-22: passport, travel document; 19.b: I-94; 19.c: status.
            "passport_country", "passport_number", "passport_expires_on",
            "travel_document_number", "i94_number", "status_when_admitted",
            # A.I items 23-24: languages.
            "native_language", "fluent_in_english",
        ]  # fmt: skip
        labels = {
            "family_name": _("Family name (in Latin letters, as in your passport)"),
            "given_names": _("Given names (in Latin letters)"),
            "family_name_native": _("Family name in your own alphabet"),
            "given_names_native": _("Given names in your own alphabet"),
            "other_names": _("Other names you have used"),
            "date_of_birth": _("Date of birth"),
            "marital_status": _("Your marital status"),
            "city_of_birth": _("City or town of birth"),
            "country_of_birth": _("Country of birth"),
            "mailing_in_care_of": _("In care of (if someone receives your mail)"),
            "mailing_line1": _("Mailing address"),
            "mailing_line2": _("Apartment, suite, unit (optional)"),
            "mailing_city": _("City"),
            "mailing_state": _("State"),
            "mailing_postal_code": _("ZIP code"),
            "nationality_at_birth": _("Nationality at birth"),
            "ethnicity": _("Race, ethnic or tribal group"),
            "religion": _("Religion"),
            "ssn": _("US Social Security number"),
            "uscis_account_number": _("USCIS online account number"),
            "passport_country": _("Country that issued your last passport"),
            "passport_number": _("Passport number"),
            "passport_expires_on": _("Passport expiry date"),
            "travel_document_number": _("Travel document number"),
            "i94_number": _("I-94 number"),
            "status_when_admitted": _("Your status when you were last admitted to the US"),
            "native_language": _("Your native language"),
            "fluent_in_english": _("Are you fluent in English?"),
        }
        help_texts = {
            "other_names": _("Maiden name, earlier spellings, nicknames. Leave empty if none."),
            "ssn": _("9 digits, if you have one."),
            "uscis_account_number": _("12 digits, if you have created an account on uscis.gov."),
            "i94_number": _("11 characters, on your I-94 record. If you have one."),
            "status_when_admitted": _("For example: parole, B-2 visitor. Leave empty if you "
                                      "entered without inspection."),
            "ethnicity": _("In your own words."),
            "passport_number": _("If you have one."),
        }  # fmt: skip
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "passport_expires_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].validators.append(validators.plausible_birth_date)
        self.fields["passport_expires_on"].validators.append(_bounded_document_date)
        self.fields["marital_status"].required = True
        for name in ("family_name", "given_names"):
            self.fields[name].validators.append(validators.latin_letters)

    def layout(self):
        return Layout(
            Fieldset(_("Your name"), "family_name", "given_names", "family_name_native",
                     "given_names_native", "other_names"),
            Fieldset(_("About you"), "date_of_birth", "marital_status", "city_of_birth",
                     "country_of_birth", "nationality_at_birth", "ethnicity", "religion"),
            Fieldset(_("Mailing address"), "mailing_different",
                     self.show_if("mailing_different", "mailing_in_care_of", "mailing_line1",
                                  "mailing_line2", "mailing_city", "mailing_state",
                                  "mailing_postal_code")),
            Fieldset(_("Documents and numbers"), "ssn", "uscis_account_number",
                     "passport_country", "passport_number", "passport_expires_on",
                     "travel_document_number", "i94_number", "status_when_admitted"),
            Fieldset(_("Languages"), "native_language", "fluent_in_english"),
        )  # fmt: skip

    def clean_ssn(self):
        value = re.sub(r"[\s\-]", "", self.cleaned_data.get("ssn", ""))
        if value and not SSN.match(value):
            raise ValidationError(_("A Social Security number has 9 digits."))
        return value

    def clean_uscis_account_number(self):
        value = _compact(self.cleaned_data.get("uscis_account_number", ""))
        if value and not USCIS_ACCOUNT.match(value):
            raise ValidationError(_("A USCIS online account number has 12 digits."))
        return value

    def clean_i94_number(self):
        value = _compact(self.cleaned_data.get("i94_number", ""))
        if value and not I94.match(value):
            raise ValidationError(_("An I-94 number has 11 letters and digits."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("mailing_different"):
            if not data.get("mailing_line1") and "mailing_line1" not in self.errors:
                self.add_error("mailing_line1", _("Please give your mailing address."))
        else:  # answers to questions that do not apply are dropped, not kept hidden
            for name in ("mailing_in_care_of", "mailing_line1", "mailing_line2",
                         "mailing_city", "mailing_state", "mailing_postal_code"):
                data[name] = ""
                self.errors.pop(name, None)
        return data


class PrepareFamilyForm(WizardForm, forms.ModelForm):
    """One relative: Part A.II for a spouse and each child, A.III item 5 for parents and
    siblings. `member` ties a row to the relative of the first intake it confirms."""

    member = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                max_value=2**31 - 1)  # fmt: skip
    A_II = ("sex", "nationality", "marital_status", "in_united_states", "a_number",
            "passport_number", "ethnicity", "last_entry_date", "last_entry_place",
            "i94_number", "status_when_admitted", "current_status", "status_expires_on",
            "in_immigration_court")  # fmt: skip
    MARRIAGE = ("marriage_date", "marriage_place")

    class Meta:
        model = FamilyMember
        fields = [
            "relationship", "family_name", "given_names", "name_native", "date_of_birth",
            "city_of_birth", "country_of_birth", "current_location", "deceased",
            # A.II items 1-24 of a spouse (and the child's items).
            "sex", "nationality", "marital_status", "in_united_states", "a_number",
            "passport_number", "ethnicity", "marriage_date", "marriage_place",
            "last_entry_date", "last_entry_place", "i94_number", "status_when_admitted",
            "current_status", "status_expires_on", "in_immigration_court",
        ]  # fmt: skip
        labels = {
            "relationship": _("Relationship to you"),
            "family_name": _("Family name (Latin letters)"),
            "given_names": _("Given names (Latin letters)"),
            "name_native": _("Full name in their own alphabet"),
            "date_of_birth": _("Date of birth"),
            "city_of_birth": _("City or town of birth"),
            "country_of_birth": _("Country of birth"),
            "current_location": _("Where are they now?"),
            "deceased": _("This person has died"),
            "sex": _("Sex"),
            "nationality": _("Nationality"),
            "marital_status": _("Marital status"),
            "in_united_states": _("They are in the United States now"),
            "a_number": _("A-number (Alien Registration Number)"),
            "passport_number": _("Passport number"),
            "ethnicity": _("Race, ethnic or tribal group"),
            "marriage_date": _("Date of your marriage"),
            "marriage_place": _("Place of your marriage"),
            "last_entry_date": _("Date of their last entry to the US"),
            "last_entry_place": _("Place of their last entry to the US"),
            "i94_number": _("I-94 number"),
            "status_when_admitted": _("Their status when last admitted"),
            "current_status": _("Their status now"),
            "status_expires_on": _("Date their status expires"),
            "in_immigration_court": _("Are they in immigration court proceedings?"),
        }
        help_texts = {"current_location": _("Country and city.")}
        widgets = {
            "date_of_birth": DATE_WIDGET, "marriage_date": DATE_WIDGET,
            "last_entry_date": DATE_WIDGET, "status_expires_on": DATE_WIDGET,
        }  # fmt: skip

    def __init__(self, *args, client_birth_date=None, client_married=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_birth_date = client_birth_date
        if not client_married:  # a spouse's marriage details only when the client is married
            for name in self.MARRIAGE:
                del self.fields[name]
        self.fields["marital_status"].required = False
        self.fields["date_of_birth"].validators.append(validators.plausible_birth_date)
        self.fields["last_entry_date"].validators.append(validators.not_in_future)
        self.fields["status_expires_on"].validators.append(_bounded_document_date)
        if "marriage_date" in self.fields:
            self.fields["marriage_date"].validators.append(validators.not_in_future)
        for name in ("family_name", "given_names"):
            self.fields[name].validators.append(validators.latin_letters)
        self.helper.layout = self._layout()

    def _layout(self):
        marriage = [self.show_if("relationship", *self.MARRIAGE, values=(Relationship.SPOUSE,))
                    ] if "marriage_date" in self.fields else []  # fmt: skip
        return Layout(
            "member", "relationship", "family_name", "given_names", "name_native",
            "date_of_birth", "city_of_birth", "country_of_birth", "current_location",
            "deceased",
            self.show_if("relationship", *self.A_II, values=tuple(SPOUSE_AND_CHILDREN)),
            *marriage,
        )

    def clean_a_number(self):
        return validators.normalise_a_number(self.cleaned_data.get("a_number", ""))

    def clean_i94_number(self):
        value = _compact(self.cleaned_data.get("i94_number", ""))
        if value and not I94.match(value):
            raise ValidationError(_("An I-94 number has 11 letters and digits."))
        return value

    def clean(self):
        data = super().clean()
        relationship, born = data.get("relationship"), data.get("date_of_birth")
        asked = set(self.A_II) if relationship in SPOUSE_AND_CHILDREN else set()
        if relationship == Relationship.SPOUSE:
            asked |= set(self.MARRIAGE)
        for name in (*self.A_II, *self.MARRIAGE):
            if name in self.fields and name not in asked:
                data[name] = self.fields[name].to_python(None)
                self.errors.pop(name, None)
        entered = data.get("last_entry_date")
        if entered and born and entered < born:
            self.add_error("last_entry_date", _("This date is before their date of birth."))
        married = data.get("marriage_date")
        if married and self.client_birth_date and married < self.client_birth_date:
            self.add_error("marriage_date", _("This date is before your date of birth."))
        return data


class BasePrepareFamilyFormSet(forms.BaseFormSet):
    row_label = _("Family member")
    add_label = _("Add a family member")
    remove_label = _("Remove this family member")


PrepareFamilyFormSet = formset_factory(
    PrepareFamilyForm, formset=BasePrepareFamilyFormSet, extra=0, max_num=30,
    validate_max=True, absolute_max=31,
)


class ResidenceForm(PeriodRowForm):
    """Part A.III items 1 (the last address before the US) and 2 (the past five years)."""

    class Meta:
        model = Residence
        fields = ["street", "city", "province", "country", "from_on", "to_on"]
        labels = {
            "street": _("Street and number"),
            "city": _("City or town"),
            "province": _("Department, province or state"),
            "country": _("Country"),
        }

    until_help = _("Leave empty if you live there now.")


class BaseRowsFormSet(forms.BaseFormSet):
    """A list the I-589 continues on supplement pages: rows the client adds and removes."""


class BaseResidenceFormSet(BaseRowsFormSet):
    row_label = _("Address")
    add_label = _("Add an address")
    remove_label = _("Remove this address")


ResidenceFormSet = formset_factory(
    ResidenceForm, formset=BaseResidenceFormSet, extra=0, min_num=1, validate_min=True,
    max_num=20, validate_max=True, absolute_max=21,
)


class SchoolingForm(PeriodRowForm):
    """Part A.III item 3: schools attended."""

    class Meta:
        model = Schooling
        fields = ["name", "school_type", "location", "from_on", "to_on"]
        labels = {
            "name": _("Name of the school"),
            "school_type": _("Type of school"),
            "location": _("Location (city and country)"),
        }

    until_help = None


class EmploymentForm(PeriodRowForm):
    """Part A.III item 4: jobs of the past five years."""

    class Meta:
        model = Employment
        fields = ["employer", "address", "occupation", "from_on", "to_on"]
        labels = {
            "employer": _("Employer"),
            "address": _("Employer's address"),
            "occupation": _("Your occupation"),
        }

    until_help = _("Leave empty if you still work there.")


class BaseSchoolingFormSet(BaseRowsFormSet):
    row_label = _("School")
    add_label = _("Add a school")
    remove_label = _("Remove this school")


class BaseEmploymentFormSet(BaseRowsFormSet):
    row_label = _("Job")
    add_label = _("Add a job")
    remove_label = _("Remove this job")


SchoolingFormSet = formset_factory(
    SchoolingForm, formset=BaseSchoolingFormSet, extra=0, max_num=20, validate_max=True,
    absolute_max=21,
)
EmploymentFormSet = formset_factory(
    EmploymentForm, formset=BaseEmploymentFormSet, extra=0, max_num=20, validate_max=True,
    absolute_max=21,
)


# Part A.I item 19.c: every entry, as in the first intake (its form and checks).
PrepareEntryFormSet = formset_factory(
    EntryForm, formset=BaseEntryFormSet, extra=0, min_num=1, validate_min=True, max_num=20,
    validate_max=True, absolute_max=21,
)


class LeftCountryForm(WizardForm, forms.ModelForm):
    """A.I item 19.a: when the client last left their country."""

    class Meta:
        model = Client
        fields = ["left_country_on"]
        labels = {"left_country_on": _("Date you last left your country")}
        help_texts = {
            "left_country_on": _("Your country of nationality. An approximate date is fine.")
        }
        widgets = {"left_country_on": DATE_WIDGET}

    def __init__(self, *args, date_of_birth=None, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth, self.entries = date_of_birth, entries
        self.fields["left_country_on"].required = True
        self.fields["left_country_on"].validators.append(validators.not_in_future)

    def clean(self):
        data = super().clean()
        left = data.get("left_country_on")
        last = max(self.entries.arrival_dates(), default=None) if self.entries else None
        if left and self.date_of_birth and left < self.date_of_birth:
            self.add_error("left_country_on", _("This date is before your date of birth."))
        if left and last and left > last:
            self.add_error("left_country_on", _(
                "This is after your last arrival in the US. Please check the date."))
        return data


def _yes_no(label):
    return forms.TypedChoiceField(
        choices=[("", "---------"), *YES_NO], coerce=lambda v: v == "yes", label=label,
        error_messages={"required": _("Please answer yes or no.")},
    )


def _explain(label=None):
    return forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
        label=label or _("If yes, please explain: what happened, when and where"),
    )


# (question field, explanation field, the explanation's model field): Part B and C.
QUESTIONS = {
    # B.2: arrested, detained, convicted or imprisoned in any country other than the US.
    "arrested_abroad": _("Have you or a family member ever been accused, charged, arrested, "
                         "detained, interrogated, convicted or imprisoned in any country "
                         "other than the United States?"),
    # B.3.A: belonged to or been associated with organisations or groups at home.
    "organisations": _("Have you or a family member ever belonged to or been associated "
                       "with any organisation or group in your home country (a political "
                       "party, student group, union, religious organisation, military or "
                       "paramilitary group, civil patrol, guerrilla group, ethnic group, "
                       "human rights group, the press or media)?"),
    # B.3.B: still taking part in any of them.
    "organisations_continued": _("Do you or a family member still take part in any of "
                                 "these organisations or groups?"),
    # B.4: afraid of torture at home or in any country you would be returned to.
    "fears_torture": _("Are you afraid of being tortured in your home country or any other "
                       "country to which you may be returned?"),
    # C.1: a spouse, child, parent or sibling ever applied for refugee status or asylum.
    "family_applied_before": _("Has your spouse, a child, a parent or a brother or sister "
                               "ever applied to the US government for refugee status, "
                               "asylum or withholding of removal?"),
    # C.2.A: travelled through or lived in another country before coming to the US.
    "other_country_travel": _("Did you travel through or stay in any other country before "
                              "coming to the US?"),
    # C.2.B: applied for or received lawful status in any country other than the one fled.
    "other_country_status": _("Have you or a family member travelling with you ever applied "
                              "for or received any lawful status in any country other than "
                              "the one you are fleeing?"),
    # C.3: ordered, incited, assisted or otherwise took part in harming anyone.
    "harmed_others": _("Have you ever ordered, incited, assisted or otherwise taken part in "
                       "causing harm or suffering to any person because of their race, "
                       "religion, nationality, membership in a particular social group or "
                       "belief in a particular political opinion?"),
    # C.4: returned to the country of feared harm after leaving it.
    "returned_since_leaving": _("After you left the country where you were harmed or fear "
                                "harm, did you return to that country?"),
    # C.6: ever arrested, charged, convicted or sentenced for any crime in the US.
    "us_crimes": _("Have you or a family member in this application ever been arrested, "
                   "charged, convicted or sentenced for any crime in the United States?"),
}
EXPLAINED_BY = {
    "arrested_abroad": "arrested_abroad_details",
    "organisations": "organisations_details",
    "organisations_continued": "organisations_continued_details",
    "fears_torture": "fears_torture_details",
    "family_applied_before": "family_applied_before_details",
    "other_country_travel": "other_country_details",
    "other_country_status": "other_country_details",
    "harmed_others": "harmed_others_details",
    "returned_since_leaving": "returned_details",
    "us_crimes": "us_crimes_details",
}


class MoreQuestionsForm(WizardForm, forms.Form):
    """Parts B and C: each a yes or no, an explanation asked only when yes; C.5 (a late
    filing) only when the last arrival is more than a year ago."""

    def __init__(self, *args, late_filing=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in QUESTIONS.items():
            self.fields[name] = _yes_no(label)
            self.fields.setdefault(EXPLAINED_BY[name], _explain())
        self.fields["other_country_details"].label = _(
            "If you answered yes to either question, please explain: which countries, when, "
            "how long, and what status")
        if late_filing:
            # C.5: more than a year since the last arrival: why filing now.
            self.fields["late_filing_explanation"] = forms.CharField(
                max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4}),
                label=_("You arrived more than a year ago. Why are you applying now?"),
                help_text=_("For example: a change in your country or in your life, illness, "
                            "a lawful status you had until recently."),
                error_messages={"required": _("Please explain why you are applying now.")},
            )  # fmt: skip
        self.helper.layout = self._layout()

    def _layout(self):
        parts = []
        for name in QUESTIONS:
            if name == "other_country_travel":
                continue
            if name == "other_country_status":
                # C.2.A and C.2.B share one explanation, shown whatever the boxes say.
                parts += ["other_country_travel", name, "other_country_details"]
                continue
            parts += [name, self.show_if(name, EXPLAINED_BY[name], values=("yes",))]
        if "late_filing_explanation" in self.fields:
            parts.append("late_filing_explanation")
        return Layout(Fieldset(_("Please answer each question"), *parts))

    def clean(self):
        data = super().clean()
        for explained in set(EXPLAINED_BY.values()):
            asked_by = [name for name, e in EXPLAINED_BY.items() if e == explained]
            if any(data.get(name) for name in asked_by):
                if not (data.get(explained) or "").strip() and explained not in self.errors:
                    self.add_error(explained, _("You answered yes: please explain."))
            else:
                data[explained] = ""
                self.errors.pop(explained, None)
        return data
