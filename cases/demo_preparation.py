"""Demo answers to the preparation questionnaire (the I-589 items the first intake does not
ask) for the demo cases retained or later: Part A.I details, the spouse's and children's
A.II details, addresses, jobs, schools, parents, and the Part B/C answers with the client's
explanations in their language, some already translated by the firm.

Filled a batch at a time for clients not prepared yet, at most AT_MOST a run (a client's
answers are three UPDATEs, about 15 ms on PostgreSQL: 100,000 demo cases would otherwise add
eight minutes to seed_demo); safe to run again, each run answers for the next ones."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .family import birthday
from .models import AsylumClaim, Client, Employment, FamilyMember, Residence, Schooling
from .timezones import today as firm_today

PREPARED_STAGES = ("retained", "preparing", "filed", "awaiting")
BATCH = 500
AT_MOST = 1000

# By the client's language: (cities of the home country, religions, ethnic groups, native
# language, employers and occupations, schools).
HOME = {
    "ru": (["Moscow", "Kazan", "Yekaterinburg", "Novosibirsk", "Ufa"],
           ["Orthodox Christian", "Muslim", "None"], ["Russian", "Tatar", "Bashkir"],
           "Russian", [("Sberbank", "Software engineer"), ("KAMAZ", "Mechanic"),
                       ("Yandex", "Analyst"), ("City Hospital No. 7", "Nurse")],
           [("Kazan Federal University", "university"), ("School No. 12", "secondary")]),
    "uk": (["Kharkiv", "Dnipro", "Odesa", "Kyiv", "Zaporizhzhia"],
           ["Orthodox Christian", "Greek Catholic"], ["Ukrainian"], "Ukrainian",
           [("Nova Poshta", "Driver"), ("Kharkiv Tractor Plant", "Welder"),
            ("PrivatBank", "Accountant")],
           [("Kharkiv Polytechnic Institute", "university"), ("Lyceum No. 3", "secondary")]),
    "es": (["Caracas", "Maracaibo", "Valencia", "Barquisimeto"],
           ["Catholic", "Evangelical Christian"], ["Mestizo", "Afro-Venezuelan"], "Spanish",
           [("PDVSA", "Technician"), ("Farmatodo", "Pharmacist"),
            ("Universidad Central", "Lecturer")],
           [("Universidad Central de Venezuela", "university"),
            ("Liceo Andrés Bello", "secondary")]),
    "en": (["Bamenda", "Buea", "Kumba"], ["Presbyterian", "Catholic"],
           ["Anglophone Cameroonian", "Bafut"], "English (Cameroonian Pidgin)",
           [("Bamenda Regional Hospital", "Nurse"), ("CDC plantations", "Supervisor")],
           [("University of Buea", "university"), ("GHS Bamenda", "secondary")]),
}  # fmt: skip
# (the client's explanation in their language, the firm's translation)
ARRESTED = {
    "ru": ("В 2022 году меня задержали на антивоенном пикете и продержали двое суток.",
           "In 2022 I was detained at an anti-war picket and held for two days."),
    "uk": ("Мене затримали на блокпосту і допитували шість годин.",
           "I was stopped at a checkpoint and questioned for six hours."),
    "es": ("La policía me detuvo durante una protesta en 2019 y pasé tres días preso.",
           "The police detained me during a protest in 2019 and I spent three days in jail."),
    "en": ("Soldiers arrested me in 2018 and held me for a week without charge.",
           "Soldiers arrested me in 2018 and held me for a week without charge."),
}
ORGANISATIONS = {
    "ru": ("Я был волонтёром штаба Навального в Казани.",
           "I volunteered at Navalny's campaign office in Kazan."),
    "uk": ("Я член громадської організації «Свої».", "I am a member of the NGO 'Svoi'."),
    "es": ("Fui miembro de Voluntad Popular desde 2014.",
           "I was a member of Voluntad Popular from 2014."),
    "en": ("I belonged to a teachers' union that joined the strikes.",
           "I belonged to a teachers' union that joined the strikes."),
}
# A mother's and a father's given names.
PARENTS = {"ru": ("Elena", "Oleg"), "uk": ("Olha", "Petro"), "es": ("María", "José"),
           "en": ("Comfort", "Joseph")}
LATE = {
    "ru": "Я не знал о сроке в один год и был болен.",
    "uk": "Я не знав про строк в один рік.",
    "es": "No sabía del plazo de un año y estuve enfermo.",
    "en": "I did not know about the one-year deadline.",
}


def fill_demo_preparation(*, seed: int | None = None) -> int:
    """Answer the questionnaire for every demo client retained or later and not prepared
    yet; returns how many."""
    on = firm_today()
    pending = (Client.objects.filter(case__stage__in=PREPARED_STAGES, prepared_at__isnull=True)
               .order_by("pk").values_list("pk", flat=True))  # fmt: skip
    ids = list(pending[:AT_MOST])
    for start in range(0, len(ids), BATCH):
        _fill_batch(ids[start : start + BATCH], on, seed)
    return len(ids)


@transaction.atomic
def _fill_batch(ids, on, seed) -> None:
    clients = list(Client.objects.filter(pk__in=ids).select_related("claim").prefetch_related(
        "entries", Prefetch("family", queryset=FamilyMember.objects.order_by("id"))))
    lists = {"residences": [], "jobs": [], "schools": [], "parents": []}
    members, claims = [], []
    for client in clients:
        rng = random.Random(f"{seed}-{client.pk}")
        _client_answers(rng, client, on, lists)
        members += _family_answers(rng, client)
        claim = getattr(client, "claim", None)
        if claim is not None:
            _claim_answers(rng, client, claim, on)
            claims.append(claim)
    # One UPDATE a row: bulk_update builds a CASE expression per field and row in Python,
    # ten times slower here (measured: 100 s against 10 s for 1,672 clients).
    for model, rows, fields in ((Client, clients, CLIENT_FIELDS),
                                (FamilyMember, members, MEMBER_FIELDS),
                                (AsylumClaim, claims, CLAIM_FIELDS)):  # fmt: skip
        for row in rows:
            model.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
    Residence.objects.bulk_create(lists["residences"])
    Employment.objects.bulk_create(lists["jobs"])
    Schooling.objects.bulk_create(lists["schools"])
    for parent in lists["parents"]:
        parent.set_derived()  # bulk_create skips save()
    FamilyMember.objects.bulk_create(lists["parents"])


CLIENT_FIELDS = ["city_of_birth", "nationality_at_birth", "ethnicity", "religion",
                 "passport_country", "passport_number", "passport_expires_on", "i94_number",
                 "native_language", "fluent_in_english", "left_country_on", "address_line1",
                 "postal_code", "prepared_at"]  # fmt: skip
MEMBER_FIELDS = ["city_of_birth", "country_of_birth", "nationality", "ethnicity", "sex",
                 "marriage_date", "marriage_place",
                 "last_entry_date", "last_entry_place", "current_status", "current_location"]
CLAIM_FIELDS = ["arrested_abroad", "arrested_abroad_details", "arrested_abroad_details_en",
                "organisations", "organisations_details", "organisations_details_en",
                "organisations_continued", "fears_torture", "family_applied_before",
                "other_country_travel", "other_country_status", "harmed_others", "us_crimes",
                "late_filing_explanation", "past_harm_en", "feared_harm_en"]  # fmt: skip


# Cities by nationality, where it is not the language's own country.
CITIES = {"BY": ["Minsk", "Gomel", "Brest"], "KZ": ["Almaty", "Astana", "Oral"],
          "CO": ["Bogotá", "Cúcuta", "Medellín"], "NI": ["Managua", "León"],
          "HN": ["Tegucigalpa", "San Pedro Sula"], "GT": ["Guatemala City", "Quetzaltenango"],
          "CU": ["Havana", "Santiago de Cuba"]}  # fmt: skip


def _cities(client) -> list[str]:
    return CITIES.get(client.nationality.code) or HOME[_language(client)][0]


def _language(client) -> str:
    return client.preferred_language if client.preferred_language in HOME else "en"


def _client_answers(rng, client, on, lists) -> None:
    _, religions, groups, native, jobs, schools = HOME[_language(client)]
    cities = _cities(client)
    arrived = client.last_arrival or on - timedelta(days=90)
    left = client.left_country_on or arrived - timedelta(days=rng.randint(3, 25))
    home_city = rng.choice(cities)
    client.city_of_birth = rng.choice(cities)
    client.nationality_at_birth = client.country_of_birth
    client.ethnicity = rng.choice(groups)
    client.religion = rng.choice(religions)
    client.passport_country = client.nationality
    client.passport_number = f"{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}"
    # Some passports ran out since the arrival: readiness says "expired".
    client.passport_expires_on = on + timedelta(days=rng.randint(-200, 2500))
    client.i94_number = f"{rng.randint(10**10, 10**11 - 1)}" if rng.random() < 0.7 else ""
    client.native_language = native
    client.fluent_in_english = _language(client) == "en"
    client.left_country_on = left
    client.address_line1 = client.address_line1 or f"{rng.randint(100, 4999)} El Cajon Blvd"
    client.postal_code = client.postal_code or "92115"
    client.prepared_at = timezone.now()
    moved_in = left - timedelta(days=rng.randint(700, 3000))
    street = f"{rng.choice(['Lenina', 'Central', 'Libertad', 'Main'])} {rng.randint(1, 120)}"
    home = {"client": client, "street": street, "city": home_city,
            "country": client.nationality, "from_on": moved_in.replace(day=1),
            "to_on": left.replace(day=1)}  # fmt: skip
    lists["residences"].append(Residence(kind="before_us", **home))
    earlier = birthday(on, -6).replace(day=1)
    if moved_in > earlier:  # the five years reach back before that address
        lists["residences"].append(Residence(
            kind="five_years", client=client, street="Sadovaya 3", city=rng.choice(cities),
            country=client.nationality, from_on=earlier, to_on=moved_in.replace(day=1)))
    lists["residences"].append(Residence(kind="five_years", **home))
    lists["residences"].append(Residence(
        kind="five_years", client=client, street=client.address_line1, city=client.city or
        "San Diego", province=client.state or "CA", country="US",
        from_on=arrived.replace(day=1)))  # fmt: skip
    employer, occupation = rng.choice(jobs)
    lists["jobs"].append(Employment(client=client, employer=employer, address=home_city,
                                    occupation=occupation, from_on=moved_in.replace(day=1),
                                    to_on=left.replace(day=1)))  # fmt: skip
    born = client.date_of_birth
    if client.nationality.code in CITIES:  # the language's schools are in another country
        schools = [(f"{home_city} State University", "university"),
                   (f"Secondary School No. {rng.randint(2, 40)}", "secondary")]
    for (name, kind), (start, end) in zip(schools, ((17, 22), (7, 17)), strict=False):
        lists["schools"].append(Schooling(
            client=client, name=name, school_type=kind, location=home_city,
            from_on=birthday(born, start).replace(month=9, day=1),
            to_on=birthday(born, end).replace(month=6, day=1)))  # fmt: skip
    for sex in ("female", "male"):
        lists["parents"].append(FamilyMember(
            client=client, relationship="parent", family_name=client.family_name,
            given_names=PARENTS[_language(client)][sex == "male"],
            sex=sex, marital_status="married", city_of_birth=rng.choice(cities),
            country_of_birth=client.nationality, current_location=home_city,
            deceased=rng.random() < 0.1))  # fmt: skip


def _family_answers(rng, client) -> list:
    cities = _cities(client)
    arrived = client.last_arrival
    members = []
    for member in client.family.all():
        if member.relationship == "parent":
            continue
        member.city_of_birth = rng.choice(cities)
        member.country_of_birth = client.nationality
        member.nationality = member.nationality or client.nationality
        member.ethnicity = client.ethnicity
        if member.relationship == "spouse" and not member.sex:
            member.sex = "male" if client.sex == "female" else "female"
        elif not member.sex:
            member.sex = rng.choice(["male", "female"])
        if member.relationship == "spouse":
            member.marriage_date = birthday(client.date_of_birth, rng.randint(20, 30)) \
                if client.date_of_birth else None
            member.marriage_place = f"{rng.choice(cities)}, {client.nationality.name}"
        if member.in_united_states and arrived:
            member.last_entry_date, member.last_entry_place = arrived, "San Ysidro"
            member.current_status = "Parolee"
        elif not member.current_location:
            member.current_location = f"{rng.choice(cities)}, {client.nationality.name}"
        members.append(member)
    return members


def _claim_answers(rng, client, claim, on: date) -> None:
    language = _language(client)
    claim.arrested_abroad = rng.random() < 0.4
    if claim.arrested_abroad:
        claim.arrested_abroad_details, english = ARRESTED[language]
        claim.arrested_abroad_details_en = english if rng.random() < 0.6 else ""
    claim.organisations = rng.random() < 0.3
    if claim.organisations:
        claim.organisations_details, english = ORGANISATIONS[language]
        claim.organisations_details_en = english if rng.random() < 0.5 else ""
    claim.organisations_continued = False
    claim.fears_torture = rng.random() < 0.2
    claim.family_applied_before = False
    claim.other_country_travel = bool(client.countries_transited) or rng.random() < 0.5
    claim.other_country_status = False
    claim.harmed_others = False
    claim.us_crimes = False
    arrived = client.last_arrival
    if arrived and (claim.filed_on or on) - arrived > timedelta(days=365):
        claim.late_filing_explanation = LATE[language]
    if rng.random() < 0.5:  # half the stories translated already
        claim.past_harm_en = "They detained me at a protest and beat me at the police station."
        claim.feared_harm_en = "If I return I will be conscripted or jailed for refusing."
