import re
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from ..choices import (
    ContactChannel,
    DocumentKind,
    FilingType,
    ImmigrationStatus,
    Language,
    MannerOfEntry,
    MaritalStatus,
    NoticeServed,
    PriorApplicationOutcome,
    Relationship,
    Reported,
    ReserveCategory,
    ServiceType,
    Sex,
)
from ..crypto import EncryptedCharField, EncryptedTextField, keyed_hash
from ..family import (
    DERIVATIVE_AGE_LIMIT,
    birthday,
    derivative_outlook,
    qualifies_as_child,
    spouse_marital_status,
)
from ..names import name_fold, name_key
from ..storage import encrypted_storage
from ..validators import normalise_a_number

# A story can be long; a 5 MB paste is not a story.
LONG_TEXT = 20_000


class Court(models.Model):
    """An immigration court (EOIR); loaded from data, editable in the admin."""

    name = models.CharField(max_length=200, unique=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    time_zone = models.CharField(max_length=64)
    detained_docket_only = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def a_number_key(value) -> str:
    """The keyed hash of the normalised A-number ('A-123-456-789' -> 'A123456789'), or ''."""
    try:
        normal = normalise_a_number(str(value or ""))
    except ValidationError:
        # Not a valid A-number (an old or admin-typed value): hashed as typed, compacted.
        normal = re.sub(r"[\s\-.]", "", str(value or "")).upper()
    return keyed_hash(normal) if normal else ""


class ClientQuerySet(models.QuerySet):
    def with_a_number(self, value):
        """Clients whose A-number is exactly this one, in any spelling (through the hash)."""
        key = a_number_key(value)
        return self.filter(a_number_hash=key) if key else self.none()


class Client(models.Model):
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    family_name_native = models.CharField(max_length=100, blank=True)
    given_names_native = models.CharField(max_length=150, blank=True)
    other_names = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    # Blank for records made before the intake asked it; a spouse is a derivative only while
    # the client is married (cases.family).
    marital_status = models.CharField(max_length=20, choices=MaritalStatus.choices, blank=True)
    nationality = CountryField()
    country_of_birth = CountryField()
    languages = models.CharField(max_length=200)
    preferred_language = models.CharField(max_length=2, choices=Language.choices)
    interpreter_needed = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    preferred_contact = models.CharField(max_length=10, choices=ContactChannel.choices)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    # Encrypted at rest (cases.crypto); max_length is the plain value's, for the form.
    passport_number = EncryptedCharField(max_length=30, blank=True)
    a_number = EncryptedCharField(max_length=11, blank=True)
    # Derived on save: the A-number's keyed hash, so an exact A-number finds the client.
    a_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    # Arrival and status.
    left_country_on = models.DateField(null=True, blank=True)
    returned_since_leaving = models.BooleanField(default=False)
    countries_transited = models.CharField(max_length=300, blank=True)
    current_status = models.CharField(max_length=20, choices=ImmigrationStatus.choices)
    # Parole or TPS maintained until a reasonable time before filing is an exception to the
    # one-year rule (8 CFR 208.4(a)(5)(iv)).
    status_ends_on = models.DateField(null=True, blank=True)
    detained = models.BooleanField(default=False)
    # Where a person is held, where a relative is now, and the story of an earlier claim are
    # as dangerous in a leaked database as the narrative: encrypted at rest too. Empty stays
    # "" (not a token), which the check constraint below relies on.
    detention_facility = EncryptedCharField(max_length=200, blank=True)
    in_removal_proceedings = models.BooleanField(default=False)
    notice_to_appear_date = models.DateField(null=True, blank=True)
    next_hearing_date = models.DateField(null=True, blank=True)
    hearing_court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )
    judge_filing_deadline = models.DateField(null=True, blank=True)
    # A hearing missed means a removal order in absentia is likely (INA 240(b)(5)).
    missed_hearing_on = models.DateField(null=True, blank=True)
    prior_removal_order = models.BooleanField(default=False)
    next_ice_check_in = models.DateField(null=True, blank=True)
    prior_asylum_application = models.BooleanField(default=False)
    prior_asylum_filed_on = models.DateField(null=True, blank=True)
    prior_asylum_outcome = models.CharField(
        max_length=20, choices=PriorApplicationOutcome.choices, blank=True
    )
    prior_asylum_details = EncryptedTextField(max_length=2000, blank=True)
    # Asked only of a child: with a parent or legal guardian in the US able to care for them,
    # a child under 18 is not an unaccompanied child (6 USC 279(g)).
    parent_or_guardian_in_us = models.BooleanField(default=False)

    # Asked by the preparation questionnaire (Form I-589 Part A.I), blank until answered.
    mailing_in_care_of = models.CharField(max_length=150, blank=True)
    mailing_line1 = models.CharField(max_length=200, blank=True)
    mailing_line2 = models.CharField(max_length=200, blank=True)
    mailing_city = models.CharField(max_length=100, blank=True)
    mailing_state = models.CharField(max_length=50, blank=True)
    mailing_postal_code = models.CharField(max_length=10, blank=True)
    city_of_birth = models.CharField(max_length=100, blank=True)
    nationality_at_birth = CountryField(blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    # A.I.3 and A.I.2: as sensitive as the A-number.
    ssn = EncryptedCharField(max_length=11, blank=True)
    uscis_account_number = models.CharField(max_length=12, blank=True)
    passport_country = CountryField(blank=True)
    passport_expires_on = models.DateField(null=True, blank=True)
    travel_document_number = EncryptedCharField(max_length=30, blank=True)
    i94_number = models.CharField(max_length=11, blank=True)
    status_when_admitted = models.CharField(max_length=50, blank=True)
    native_language = models.CharField(max_length=100, blank=True)
    fluent_in_english = models.BooleanField(null=True, blank=True)
    # When the client last confirmed the questionnaire (None: not yet).
    prepared_at = models.DateTimeField(null=True, blank=True)

    # Derived on save: both spellings as Latin keys, for duplicates and search.
    name_key_latin = models.CharField(max_length=260, blank=True, editable=False)
    name_key_native = models.CharField(max_length=260, blank=True, editable=False)
    # Derived on save: every name (both scripts, other names) folded across transliterations
    # (cases.names.name_fold), for search in any order and spelling; trigram-indexed.
    name_fold = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        # Correcting a phone or an address is everyday paralegal work, apart from the rest
        # of the client's record (change_client), which stays an attorney's.
        permissions = [("change_contact", "Can change the client's contact details and address")]
        constraints = [
            models.CheckConstraint(
                condition=Q(detained=True) | Q(detention_facility=""),
                name="client_facility_only_when_detained",
                violation_error_message=_("A detention facility is only asked when detained."),
            ),
            models.CheckConstraint(
                condition=Q(in_removal_proceedings=True)
                | (Q(next_hearing_date__isnull=True) & Q(hearing_court__isnull=True)),
                name="client_hearing_only_in_proceedings",
                violation_error_message=_("A hearing is only asked when in proceedings."),
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="client_has_a_contact",
                violation_error_message=_(
                    "Please give an e-mail address or a phone number so we can reach you."
                ),
            ),
        ]
        # Dashboard filters and sorts; trigram indexes on the name keys are in migrations
        # (PostgreSQL only).
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(Upper("email"), name="client_email_upper"),
            models.Index(fields=["phone"]),
            models.Index(fields=["family_name"]),
            models.Index(fields=["nationality"]),
            models.Index(fields=["preferred_language"]),
            models.Index(fields=["detained"]),
            models.Index(fields=["in_removal_proceedings"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        self.a_number_hash = a_number_key(self.a_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "a_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "a_number_hash"}
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, *self.NAME_KEYS}
        super().save(*args, **kwargs)

    NAME_FIELDS = ("given_names", "family_name", "given_names_native", "family_name_native",
                   "other_names")  # fmt: skip
    NAME_KEYS = ("name_key_latin", "name_key_native", "name_fold")

    def set_name_keys(self):
        """What save() derives from the names; call it before a bulk_create."""
        self.name_key_latin = name_key(self.given_names, self.family_name)
        self.name_key_native = name_key(self.given_names_native, self.family_name_native)
        self.name_fold = name_fold(
            self.given_names, self.family_name, self.given_names_native,
            self.family_name_native, self.other_names,
        )  # fmt: skip

    @property
    def full_name(self):
        return f"{self.given_names} {self.family_name}"

    @property
    def full_name_native(self):
        return f"{self.given_names_native} {self.family_name_native}".strip()

    @property
    def last_arrival(self):
        entries = sorted(self.entries.all(), key=lambda e: e.date)
        return entries[-1].date if entries else None


class Entry(models.Model):
    """One entry to the US; the I-589 asks for each, the last starts the clock."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    place = models.CharField(max_length=200)
    manner = models.CharField(max_length=20, choices=MannerOfEntry.choices)
    visa_type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name_plural = "entries"

    def __str__(self):
        return f"{self.date} {self.place}"


class FamilyMember(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="family")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    name_native = models.CharField(max_length=250, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    nationality = CountryField(blank=True)
    marital_status = models.CharField(max_length=20, choices=MaritalStatus.choices)
    current_location = EncryptedCharField(max_length=200, blank=True)
    travelling_with_client = models.BooleanField(default=False)
    # Only a relative in the United States can be on the I-589; others may follow to join.
    in_united_states = models.BooleanField(default=False)
    parent_marriage_date = models.DateField(null=True, blank=True)  # a stepchild's
    adoption_date = models.DateField(null=True, blank=True)  # an adopted child's
    # Asked by the preparation questionnaire (I-589 Part A.II for a spouse or child, A.III
    # for parents and siblings), blank until answered.
    a_number = EncryptedCharField(max_length=11, blank=True)
    passport_number = EncryptedCharField(max_length=30, blank=True)
    city_of_birth = models.CharField(max_length=100, blank=True)
    country_of_birth = CountryField(blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    marriage_date = models.DateField(null=True, blank=True)  # a spouse's, with the client
    marriage_place = models.CharField(max_length=200, blank=True)
    last_entry_date = models.DateField(null=True, blank=True)
    last_entry_place = models.CharField(max_length=200, blank=True)
    i94_number = models.CharField(max_length=11, blank=True)
    status_when_admitted = models.CharField(max_length=50, blank=True)
    current_status = models.CharField(max_length=50, blank=True)
    status_expires_on = models.DateField(null=True, blank=True)
    in_immigration_court = models.BooleanField(null=True, blank=True)
    deceased = models.BooleanField(default=False)
    # Derived on save: a child in the sense of INA 101(b)(1), and the day a child can no
    # longer be included unless filed for before it, for queries (exports).
    qualifies_as_child = models.BooleanField(default=False, editable=False)
    turns_21_on = models.DateField(null=True, blank=True, editable=False)
    # Derived on save, as on Client: for the conflict check across scripts.
    name_key_latin = models.CharField(max_length=260, blank=True, editable=False)
    name_key_native = models.CharField(max_length=260, blank=True, editable=False)
    name_fold = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.given_names} {self.family_name} ({self.relationship})"

    def save(self, *args, **kwargs):
        self.set_derived()
        super().save(*args, **kwargs)

    def set_derived(self):
        """What save() keeps in step; call it before a bulk_create."""
        self.name_key_latin = name_key(self.given_names, self.family_name)
        self.name_key_native = name_key(self.name_native)
        self.name_fold = name_fold(self.given_names, self.family_name, self.name_native)
        self.qualifies_as_child = qualifies_as_child(
            self.relationship, self.date_of_birth, self.parent_marriage_date, self.adoption_date
        )
        self.turns_21_on = (
            birthday(self.date_of_birth, DERIVATIVE_AGE_LIMIT) if self.date_of_birth else None
        )

    def derivative_outlook(self, on, filed_on=None):
        """(can be a derivative on `on`, 21st birthday soon): cases.family.derivative_outlook,
        the age taken on the filing date once filed."""
        status = self.marital_status
        if self.relationship == Relationship.SPOUSE:
            status = spouse_marital_status(status, self.client.marital_status)
        return derivative_outlook(
            self.relationship, self.date_of_birth, status, on,
            in_united_states=self.in_united_states, filed_on=filed_on,
            parent_marriage_date=self.parent_marriage_date, adoption_date=self.adoption_date,
        )  # fmt: skip


# The questions of the client's story: the wizard asks them, the case page shows the
# answers under them.
NARRATIVE_LABELS = {
    "political_activity": _("Political activity (protests, posts, parties, petitions)"),
    "past_harm": _("What happened to you? (harm or threats in the past)"),
    "feared_harm": _("What do you fear will happen if you return?"),
    "harmed_by": _("Who harmed or threatened you?"),
    "reported_details": _("What happened when you reported it, or why you did not"),
    "evidence": _("What evidence do you have?"),
}


class AsylumClaim(models.Model):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="claim")
    ground_race = models.BooleanField(default=False)
    ground_religion = models.BooleanField(default=False)
    ground_nationality = models.BooleanField(default=False)
    ground_political_opinion = models.BooleanField(default=False)
    ground_social_group = models.BooleanField(default=False)
    political_activity = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    mobilisation_notice = models.BooleanField(default=False)
    prior_military_service = models.BooleanField(default=False)
    conscientious_objector = models.BooleanField(default=False)
    # The mobilisation claim in detail (the draft after the decree of 21 September 2022).
    notice_received_on = models.DateField(null=True, blank=True)
    notice_served = models.CharField(max_length=12, choices=NoticeServed.choices, blank=True)
    reserve_category = models.CharField(
        max_length=16, choices=ReserveCategory.choices, blank=True
    )
    military_specialty = models.CharField(max_length=200, blank=True)
    service_type = models.CharField(max_length=12, choices=ServiceType.choices, blank=True)
    service_from = models.DateField(null=True, blank=True)
    service_to = models.DateField(null=True, blank=True)
    deployments = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    objection_religious = models.BooleanField(default=False)
    objection_political = models.BooleanField(default=False)
    objection_this_war = models.BooleanField(default=False)
    alternative_service_sought = models.BooleanField(default=False)
    criminal_case_or_wanted = models.BooleanField(default=False)
    antiwar_arrested = models.BooleanField(default=False)
    relatives_approached = models.BooleanField(default=False)
    minority_ethnicity_or_religion = models.BooleanField(default=False)
    minority_details = EncryptedCharField(max_length=200, blank=True)
    # The client's own words, kept as written; these and the translations are encrypted
    # at rest (cases.crypto).
    past_harm = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    feared_harm = EncryptedTextField(max_length=LONG_TEXT)
    harmed_by = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    reported = models.CharField(max_length=3, choices=Reported.choices, blank=True)
    reported_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    evidence = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    # The firm's English translations, beside the client's words, never over them.
    political_activity_en = EncryptedTextField(blank=True)
    past_harm_en = EncryptedTextField(blank=True)
    feared_harm_en = EncryptedTextField(blank=True)
    harmed_by_en = EncryptedTextField(blank=True)
    reported_details_en = EncryptedTextField(blank=True)
    evidence_en = EncryptedTextField(blank=True)
    # The I-589's yes/no questions the first intake does not ask, each with the client's
    # explanation and the firm's translation (preparation questionnaire; None: not asked yet).
    arrested_abroad = models.BooleanField(null=True, blank=True)  # B.2
    arrested_abroad_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    arrested_abroad_details_en = EncryptedTextField(blank=True)
    organisations = models.BooleanField(null=True, blank=True)  # B.3.A
    organisations_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    organisations_details_en = EncryptedTextField(blank=True)
    organisations_continued = models.BooleanField(null=True, blank=True)  # B.3.B
    organisations_continued_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    organisations_continued_details_en = EncryptedTextField(blank=True)
    fears_torture = models.BooleanField(null=True, blank=True)  # B.4
    fears_torture_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    fears_torture_details_en = EncryptedTextField(blank=True)
    family_applied_before = models.BooleanField(null=True, blank=True)  # C.1 (family)
    family_applied_before_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    family_applied_before_details_en = EncryptedTextField(blank=True)
    other_country_travel = models.BooleanField(null=True, blank=True)  # C.2.A
    other_country_status = models.BooleanField(null=True, blank=True)  # C.2.B
    other_country_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    other_country_details_en = EncryptedTextField(blank=True)
    harmed_others = models.BooleanField(null=True, blank=True)  # C.3
    harmed_others_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    harmed_others_details_en = EncryptedTextField(blank=True)
    returned_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)  # C.4
    returned_details_en = EncryptedTextField(blank=True)
    late_filing_explanation = EncryptedTextField(max_length=LONG_TEXT, blank=True)  # C.5
    late_filing_explanation_en = EncryptedTextField(blank=True)
    us_crimes = models.BooleanField(null=True, blank=True)  # C.6
    us_crimes_details = EncryptedTextField(max_length=LONG_TEXT, blank=True)
    us_crimes_details_en = EncryptedTextField(blank=True)
    filing_type = models.CharField(max_length=12, choices=FilingType.choices, blank=True)
    filed_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Claim of {self.client}"

    NARRATIVE_FIELDS = tuple(NARRATIVE_LABELS)

    @property
    def grounds(self):
        return [
            label
            for field, label in (
                ("ground_race", _("Race")),
                ("ground_religion", _("Religion")),
                ("ground_nationality", _("Nationality")),
                ("ground_political_opinion", _("Political opinion")),
                ("ground_social_group", _("Particular social group")),
            )
            if getattr(self, field)
        ]


def document_path(instance, filename):
    # A random name: nothing the client typed ends up in a path.
    return f"intake/{secrets.token_hex(16)}"


class Document(models.Model):
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    # Encrypted on disk (cases.storage); read back with file.open("rb") as before.
    file = models.FileField(upload_to=document_path, storage=encrypted_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name
