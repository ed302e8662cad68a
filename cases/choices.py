"""Choices shared by the intake forms, the models and the firm's side."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Another answer")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    SPANISH = "es", _("Spanish")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message (SMS)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SIGNAL = "signal", _("Signal")


class MannerOfEntry(models.TextChoices):
    PORT_INSPECTED = "port", _("At a port of entry, inspected by an officer")
    CBP_ONE = "cbp_one", _("At a port of entry with a CBP One appointment")
    BETWEEN_PORTS = "between_ports", _("Between ports of entry (not at a border crossing)")
    PAROLE = "parole", _("Parole (humanitarian or other)")
    VISA = "visa", _("With a visa")
    OTHER = "other", _("Other or not sure")


class ImmigrationStatus(models.TextChoices):
    NONE = "none", _("No status")
    PAROLE = "parole", _("Parolee")
    VISITOR = "visitor", _("Visitor (B-1/B-2)")
    STUDENT = "student", _("Student (F-1/J-1)")
    TPS = "tps", _("Temporary Protected Status")
    ASYLUM_PENDING = "asylum_pending", _("Asylum application pending")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("I don't know")


# The statuses that end on a date the one-year rule cares about (a lawful status or parole
# held until a reasonable time before filing, 8 CFR 208.4(a)(5)(iv)), as triage names them.
STATUSES_THAT_END = {ImmigrationStatus.PAROLE: "Parole", ImmigrationStatus.TPS: "TPS"}


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    STEPCHILD = "stepchild", _("Stepchild")
    ADOPTED_CHILD = "adopted_child", _("Adopted child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single, never married")
    MARRIED = "married", _("Married")
    SEPARATED = "separated", _("Separated (still married)")
    LEGALLY_SEPARATED = "legally_separated", _("Legally separated (by a court)")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Reported(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Does not apply")


class FilingType(models.TextChoices):
    AFFIRMATIVE = "affirmative", _("Affirmative (with USCIS)")
    DEFENSIVE = "defensive", _("Defensive (in immigration court)")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport or ID")
    NOTICE = "notice", _("Notice from immigration (e.g. Notice to Appear)")
    MILITARY = "military", _("Military or mobilisation notice")
    EVIDENCE = "evidence", _("Evidence of harm or threats")
    MILITARY_ID = "military_id", _("Military ID")
    BIRTH = "birth", _("Birth certificate")
    MARRIAGE = "marriage", _("Marriage certificate")
    OTHER = "other", _("Other")


class PriorApplicationOutcome(models.TextChoices):
    PENDING_USCIS = "pending_uscis", _("Still pending with USCIS (the asylum office)")
    PENDING_COURT = "pending_court", _("Still pending in immigration court")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn or dismissed")
    UNKNOWN = "unknown", _("I don't know")


class NoticeServed(models.TextChoices):
    IN_PERSON = "in_person", _("Handed to me in person")
    EMPLOYER = "employer", _("Through my employer, school or university")
    RELATIVES = "relatives", _("Left with relatives or at my home address")
    ELECTRONIC = "electronic", _("Electronic (Gosuslugi or the electronic register)")
    OTHER = "other", _("Another way")


class ServiceType(models.TextChoices):
    CONSCRIPT = "conscript", _("Conscript (compulsory service)")
    CONTRACT = "contract", _("Contract soldier")
    BOTH = "both", _("Both")


class ReserveCategory(models.TextChoices):
    FIRST = "first", _("1st category (served or trained)")
    SECOND = "second", _("2nd category (did not serve)")
    NOT_REGISTERED = "not_registered", _("Not registered with the military")
    UNKNOWN = "unknown", _("I don't know")


class RequestedDocument(models.TextChoices):
    """What the attorney asks the client to upload through the secure link."""

    PASSPORT = "passport", _("Passport")
    MOBILISATION_NOTICE = "notice", _("Mobilisation notice (summons)")
    MILITARY_ID = "military_id", _("Military ID")
    BIRTH_CERTIFICATE = "birth", _("Birth certificate")
    MARRIAGE_CERTIFICATE = "marriage", _("Marriage certificate")
    EVIDENCE = "evidence", _("Evidence of harm or threats")
    OTHER = "other", _("Other document")


class ResidenceKind(models.TextChoices):
    # I-589 Part A.III item 1 and item 2.
    BEFORE_US = "before_us", _("My last address before coming to the US")
    PAST_FIVE_YEARS = "five_years", _("Where I lived in the past 5 years")


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    VOCATIONAL = "vocational", _("Vocational school or college")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")
