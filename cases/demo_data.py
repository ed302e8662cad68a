"""Realistic, varied demo cases, generated reproducibly and inserted in bulk."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .choices import MannerOfEntry
from .services import INTAKE_NOTE

# (language, nationality, family names [latin, native], given names [latin, native])
PEOPLE = {
    "ru": ("RU", [("Politov", "Политов"), ("Smirnov", "Смирнов"), ("Kuznetsov", "Кузнецов"),
                  ("Volkov", "Волков"), ("Sokolov", "Соколов"), ("Lebedev", "Лебедев"),
                  ("Morozov", "Морозов"), ("Novikov", "Новиков")],
           [("Dmitry", "Дмитрий"), ("Alexey", "Алексей"), ("Sergey", "Сергей"),
            ("Ivan", "Иван"), ("Mikhail", "Михаил"), ("Artem", "Артём"), ("Pavel", "Павел")]),
    "uk": ("UA", [("Shevchenko", "Шевченко"), ("Kovalenko", "Коваленко"),
                  ("Bondarenko", "Бондаренко"), ("Tkachenko", "Ткаченко"),
                  ("Kravchuk", "Кравчук"), ("Oliinyk", "Олійник")],
           [("Oleksandr", "Олександр"), ("Andrii", "Андрій"), ("Yurii", "Юрій"),
            ("Taras", "Тарас"), ("Bohdan", "Богдан"), ("Olena", "Олена")]),
    # Latin-script names have no separate native spelling.
    "es": ("VE", [("García", ""), ("Rodríguez", ""), ("Hernández", ""), ("Pérez", ""),
                  ("Ramírez", ""), ("Morales", "")],
           [("José", ""), ("María", ""), ("Luis", ""), ("Carlos", ""), ("Ana", ""),
            ("Jorge", "")]),
    "en": ("CM", [("Mbah", ""), ("Tabe", ""), ("Fon", ""), ("Nkwenti", ""), ("Achu", "")],
           [("Emmanuel", ""), ("Grace", ""), ("Peter", ""), ("Blessing", ""), ("Divine", "")]),
}
OTHER_NATIONALITY = {"es": ["VE", "CO", "NI", "HN", "GT", "CU"], "ru": ["RU", "BY", "KZ"]}
PLACES = ["San Ysidro", "Otay Mesa", "Calexico", "Miami International Airport", "El Paso"]
FACILITIES = ["Otay Mesa Detention Center, San Diego", "Adelanto ICE Processing Center",
              "Imperial Regional Detention Facility"]
STORIES = {
    "ru": ("Меня задержали на антивоенном митинге и избили в отделе полиции.",
           "Если я вернусь, меня мобилизуют и отправят на войну, или посадят за отказ."),
    "uk": ("Мене переслідували через мою громадську діяльність.",
           "Я боюся переслідування та ув'язнення, якщо повернуся."),
    "es": ("Me amenazaron por participar en protestas contra el gobierno.",
           "Temo que me detengan o me maten si regreso."),
    "en": ("Soldiers burned our village and arrested my brother.",
           "I fear I will be detained and tortured if I return."),
}
# A firm on an ordinary day, in percent of the caseload: most cases early on, some filed,
# a few ended.
STAGE_SHARE = {"new": 28, "triaged": 20, "consultation": 10, "retained": 9, "preparing": 9,
               "filed": 8, "awaiting": 6, "closed": 5, "declined": 5}  # fmt: skip
# Days from the intake to today, for the stages before a filing and the unfiled ended ones.
CASE_AGE = {"new": (0, 6), "triaged": (1, 20), "consultation": (5, 40), "retained": (14, 75),
            "preparing": (30, 140), "closed": (20, 220), "declined": (5, 90)}  # fmt: skip
# Days since the filing. EAD dates fall due 150 and 180 days after it and stay open (nothing
# in the app closes them), so cases filed longer ago would all show them overdue.
FILED_AGO = {"filed": (3, 120), "awaiting": (60, 155), "closed": (30, 250)}
ENDED = {"closed", "declined"}
# Where a detained client's hearing is held.
COURTS = {"Otay Mesa Detention Center, San Diego": "Otay Mesa Immigration Court",
          "Adelanto ICE Processing Center": "Adelanto Immigration Court",
          "Imperial Regional Detention Facility": "Imperial Immigration Court"}  # fmt: skip
LOCAL_COURT = "San Diego Immigration Court"


@dataclass(frozen=True)
class Timeline:
    """When the client last arrived and filed, in days before today, and where they stand."""

    arrived: int
    filed: int | None
    minor: bool
    detained: bool
    in_proceedings: bool


def _arrived_ago(rng: random.Random) -> int:
    """Days since an unfiled client's last arrival: mostly 1-11 months, so the one-year
    deadline is ahead; a few close to it, a few past it (an exception to argue)."""
    roll = rng.random()
    if roll < 0.12:
        return rng.randint(1, 29)
    if roll < 0.93:
        return rng.randint(30, 335)
    if roll < 0.985:
        return rng.randint(336, 364)
    return rng.randint(366, 600)


def _timeline(rng: random.Random, stage: str) -> Timeline:
    ended = stage in ENDED
    minor = rng.random() < 0.02  # an unaccompanied child: no one-year deadline
    detained = not ended and not minor and rng.random() < 0.05
    # Unaccompanied children are placed in removal proceedings (8 USC 1232(a)(5)(D)).
    in_proceedings = detained or minor or rng.random() < (0.15 if ended else 0.3)
    if stage in {"filed", "awaiting"} or (stage == "closed" and rng.random() < 0.5):
        filed = rng.randint(*FILED_AGO[stage])
        preparing = rng.randint(14, 90)
        # Filed within the year after the arrival: the one-year deadline met.
        arrived = filed + preparing + rng.randint(0, 340 - preparing)
        return Timeline(arrived, filed, minor, detained, in_proceedings)
    intake = rng.randint(*CASE_AGE[stage])  # they arrived before they came to the firm
    if ended:
        # Ended while the one-year deadline was still far off: nothing to chase any more.
        arrived = rng.randint(max(intake, 31), 290)
    else:
        arrived = max(_arrived_ago(rng), intake + rng.randint(0, 14))
    return Timeline(arrived, None, minor, detained, in_proceedings)


def _hearing_in(rng: random.Random, story: Timeline) -> int:
    """Days to the next hearing: weeks to months ahead; a few this fortnight, a few missed."""
    if story.detained:
        return rng.randint(4, 40)  # the detained docket moves fast
    roll = rng.random()
    if roll < 0.02 and story.arrived > 60:
        return -rng.randint(1, 20)
    if roll < 0.08:
        return rng.randint(0, 14)
    if roll < 0.28:
        return rng.randint(15, 60)
    return rng.randint(61, 400)


def _demo_client(rng: random.Random, today: date, index: int, language: str,
                 story: Timeline) -> dict:  # fmt: skip
    """A client speaking `language`, living the timeline."""
    nationality, family_names, given_names = PEOPLE[language]
    nationality = rng.choice(OTHER_NATIONALITY.get(language, [nationality]))
    family, family_native = rng.choice(family_names)
    given, given_native = rng.choice(given_names)
    years = (15, 17) if story.minor else (19, 55)
    born = today - timedelta(days=rng.randint(years[0] * 365, years[1] * 365 + 200))
    last_arrival = today - timedelta(days=story.arrived)
    facility = rng.choice(FACILITIES) if story.detained else ""
    hearing = None
    if story.in_proceedings:
        hearing = today + timedelta(days=_hearing_in(rng, story))
    status = "asylum_pending" if story.filed is not None else rng.choice(
        ["parole", "none", "visitor"])  # fmt: skip
    return {
        "family_name": family, "given_names": given,
        "family_name_native": family_native, "given_names_native": given_native,
        "date_of_birth": born, "sex": "female" if given in {"Olena", "María", "Ana", "Grace",
                                                            "Blessing"} else "male",
        "nationality": nationality, "country_of_birth": nationality,
        "languages": {"ru": "Russian", "uk": "Ukrainian, Russian", "es": "Spanish",
                      "en": "English"}[language],
        "preferred_language": language, "interpreter_needed": language != "en",
        "email": f"{given.lower()}.{family.lower()}.{index}@example.org".encode(
            "ascii", "ignore").decode(),
        "phone": f"+1619555{index % 10000:04d}", "preferred_contact": "email",
        "city": "San Diego", "state": "CA", "current_status": status,
        "detained": story.detained, "detention_facility": facility,
        "in_removal_proceedings": story.in_proceedings,
        "notice_to_appear_date": last_arrival + timedelta(days=1) if hearing else None,
        "next_hearing_date": hearing,
        # A court's name; the command looks the row up.
        "hearing_court": COURTS.get(facility, LOCAL_COURT) if hearing else None,
        "judge_filing_deadline": _judge_deadline(rng, today, story, hearing),
        "parent_or_guardian_in_us": not story.minor,
    }  # fmt: skip


def _judge_deadline(rng: random.Random, today: date, story: Timeline,
                    hearing: date | None) -> date | None:  # fmt: skip
    """Some judges set a date to file the application by, ahead of the next hearing."""
    if hearing is None or rng.random() >= 0.35:
        return None
    if story.filed is not None:
        filed_on = today - timedelta(days=story.filed)
        return filed_on + timedelta(days=rng.randint(1, 30))  # the filing came in time
    if (hearing - today).days < 22:
        return None
    days = rng.randint(2, 14) if rng.random() < 0.08 else rng.randint(15, 120)
    return today + timedelta(days=min(days, (hearing - today).days - 7))


def _demo_family(rng: random.Random, today: date, language: str, client: dict) -> list[dict]:
    """Maybe a spouse about the client's age, and up to three children, of the client's name;
    an unaccompanied child came without any of them."""
    if not client["parent_or_guardian_in_us"]:
        return []
    given_names = PEOPLE[language][2]
    family, born = client["family_name"], client["date_of_birth"]
    members = []
    if rng.random() < 0.6:
        members.append({"relationship": "spouse", "family_name": family,
                        "given_names": rng.choice(given_names)[0], "marital_status": "married",
                        "date_of_birth": born + timedelta(days=rng.randint(-1500, 1500)),
                        "travelling_with_client": rng.random() < 0.5})
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        members.append({"relationship": "child", "family_name": family,
                        "given_names": rng.choice(given_names)[0], "marital_status": "single",
                        "date_of_birth": today - timedelta(days=rng.randint(365, 24 * 365)),
                        "travelling_with_client": rng.random() < 0.7})
    for member in members:  # those who travel with the client are here; the rest abroad
        member["in_united_states"] = member["travelling_with_client"]
    return members


def _demo_claim(rng: random.Random, today: date, language: str, story: Timeline) -> dict:
    past, feared = STORIES[language]
    filed_on = filing_type = None
    if story.filed is not None:
        filed_on = today - timedelta(days=story.filed)
        # USCIS hears an unaccompanied child's claim first, even in proceedings (TVPRA).
        defensive = story.in_proceedings and not story.minor
        filing_type = "defensive" if defensive else "affirmative"
    return {"ground_political_opinion": rng.random() < 0.7,
            "ground_social_group": rng.random() < 0.4,
            "ground_religion": rng.random() < 0.1,
            "mobilisation_notice": language in {"ru", "uk"} and rng.random() < 0.4,
            "conscientious_objector": rng.random() < 0.3,
            "past_harm": past, "feared_harm": feared,
            "filed_on": filed_on, "filing_type": filing_type or ""}  # fmt: skip


def _demo_deadlines(rng: random.Random, today: date, client: dict, claim: dict) -> list[dict]:
    """The deadlines the firm entered by hand: those the intake gave (to be confirmed), the
    judge's marked met once the application is in, and the biometrics appointment USCIS
    sets after a filing. The computed ones (one-year, EAD) follow from the rules instead."""
    deadlines = []
    if client["next_hearing_date"]:
        deadlines.append({"kind": "hearing", "due_date": client["next_hearing_date"],
                          "court": client["hearing_court"], "note": INTAKE_NOTE})
    filed_on = claim["filed_on"]
    if client["judge_filing_deadline"]:
        deadlines.append({"kind": "court_filing", "due_date": client["judge_filing_deadline"],
                          "note": INTAKE_NOTE, "status": "met" if filed_on else "open"})
    if filed_on:
        biometrics = filed_on + timedelta(days=rng.randint(21, 56))
        deadlines.append({"kind": "biometrics", "due_date": biometrics, "entered": True,
                          "status": "met" if biometrics < today else "open"})
    return deadlines


def demo_case(rng: random.Random, today: date, index: int) -> dict:
    """One case's values: client, entries, family, claim, case, its entered deadlines; plain
    dicts, dates relative to `today`.

    The same rng gives the same cases: the helpers draw from it in a fixed order."""
    language = rng.choice(["ru", "ru", "ru", "uk", "es", "es", "en"])
    stage = rng.choices(list(STAGE_SHARE), weights=list(STAGE_SHARE.values()))[0]
    story = _timeline(rng, stage)
    client = _demo_client(rng, today, index, language, story)
    entries = [{"date": today - timedelta(days=story.arrived), "place": rng.choice(PLACES),
                "manner": rng.choice([MannerOfEntry.CBP_ONE, MannerOfEntry.PORT_INSPECTED,
                                      MannerOfEntry.BETWEEN_PORTS, MannerOfEntry.PAROLE])}]
    members = _demo_family(rng, today, language, client)
    married = any(m["relationship"] == "spouse" for m in members)
    client["marital_status"] = "married" if married else "single"
    claim = _demo_claim(rng, today, language, story)
    return {"client": client, "entries": entries, "family": members, "claim": claim,
            "case": {"stage": stage}, "deadlines": _demo_deadlines(rng, today, client, claim)}


# The firm's demo attorneys: "attorney" (the demo login) first, then colleagues named from
# these lists, a first name and a family name each, as many as the caseload needs.
ATTORNEY_FIRST = ["Dana", "Miguel", "Irina", "Samuel", "Oksana", "Priya", "Tomás", "Hannah",
                  "Kwame", "Lucía", "Viktor", "Grace", "Daniel", "Mariam", "Felipe", "Nadia"]
ATTORNEY_LAST = ["Whitfield", "Herrera", "Petrenko", "Okafor", "Lindqvist", "Castillo",
                 "Novak", "Brennan", "Mensah", "Ortega", "Kowalski", "Reyes", "Haddad",
                 "Sorensen", "Abiodun", "Marsh", "Iglesias", "Tran", "Bauer", "Quinn"]


def attorney_names(count: int) -> list[tuple[str, str, str]]:
    """(username, first name, family name) of the first `count` demo attorneys; the same
    names each time, so a second seed finds the ones it made."""
    names = []
    for n in range(count):
        first = ATTORNEY_FIRST[n % len(ATTORNEY_FIRST)]
        last = ATTORNEY_LAST[(n // len(ATTORNEY_FIRST) + n) % len(ATTORNEY_LAST)]
        names.append(("attorney" if n == 0 else f"attorney{n + 1}", first, last))
    return names
