import datetime

import factory
from django.contrib.auth.models import Group, User

from cases.models import AsylumClaim, Case, Client, Entry, FamilyMember
from cases.services import client_open_case, deadlines_sync_computed
from cases.timezones import today as firm_today


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    family_name = "Politov"
    given_names = "Dmitry"
    family_name_native = "Политов"
    given_names_native = "Дмитрий"
    date_of_birth = datetime.date(1990, 5, 17)
    sex = "male"
    nationality = "RU"
    country_of_birth = "RU"
    languages = "Russian"
    preferred_language = "ru"
    email = factory.Sequence(lambda n: f"client{n}@example.org")
    phone = "+16195550100"
    preferred_contact = "email"
    current_status = "parole"


def _case_deadlines_follow(record, create, extracted, **kwargs):
    """A case's computed deadlines follow an arrival or a claim added to its client, as the
    services that record them do (cases.services.deadlines_sync_computed)."""
    case = Case.objects.filter(client_id=record.client_id).first() if create else None
    if case is not None:
        deadlines_sync_computed(case=case)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True  # the hook saves nothing on the entry itself

    client = factory.SubFactory(ClientFactory)
    date = datetime.date(2026, 3, 2)
    place = "San Ysidro"
    manner = "cbp_one"
    deadlines = factory.PostGeneration(_case_deadlines_follow)


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    client = factory.SubFactory(ClientFactory)
    relationship = "child"
    family_name = "Politova"
    given_names = "Anna"
    date_of_birth = datetime.date(2015, 1, 1)
    marital_status = "single"
    in_united_states = True


class AsylumClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AsylumClaim
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    ground_political_opinion = True
    feared_harm = "Меня мобилизуют и отправят на войну."
    deadlines = factory.PostGeneration(_case_deadlines_follow)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    client = factory.SubFactory(ClientFactory)
    reference = factory.Sequence(lambda n: f"AI-2026-{n + 900000:06d}")


def member_of(username: str, group: str) -> User:
    """A staff user in one of the firm's groups (created by migrations)."""
    user = User.objects.create_user(username, f"{username}@firm.example", "x" * 16)
    user.groups.add(Group.objects.get(name=group))
    return user


STORY = "Меня мобилизуют и отправят на войну."
NAMES = ["Dmitry", "Oleksandr", "Iryna", "Sergei", "Natalia", "Maksym", "Olga", "Pavel"]
FAMILIES = ["Politov", "Oliynyk", "Kuznetsova", "Bondarenko", "Sokolov", "Melnyk"]


def opened_intake(level: str, n: int = 0) -> Case:
    """An intake opened by the service the submit uses (cases.services.client_open_case),
    so triage and the e-mails run as in production. critical: detained; high: arrived 10
    days ago; normal: arrived 100 days ago, nothing pending in court."""
    arrived = firm_today() - datetime.timedelta(days=10 if level == "high" else 100)
    client = ClientFactory.build(
        given_names=NAMES[n % len(NAMES)], family_name=f"{FAMILIES[n % len(FAMILIES)]}{n}",
        given_names_native="", family_name_native="", email=f"client{n}@example.org",
        detained=level == "critical",
        detention_facility="Otay Mesa" if level == "critical" else "",
    )  # fmt: skip
    claim = AsylumClaimFactory.build(client=client, feared_harm=STORY)
    entry = Entry(date=arrived, place="San Ysidro", manner="cbp_one")
    case = client_open_case(client=client, entries=[entry], family=[], claim=claim)
    assert case.priority == level, (level, case.priority_reasons)
    return case
