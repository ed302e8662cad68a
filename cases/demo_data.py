"""Realistic, varied demo cases, generated reproducibly and inserted in bulk."""

import random
from datetime import date, timedelta

from .choices import MannerOfEntry

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
STAGES = ["new"] * 6 + ["triaged"] * 3 + ["consultation", "retained", "preparing", "filed",
                                             "awaiting", "closed", "declined"]


def _demo_client(rng: random.Random, today: date, index: int, language: str) -> tuple[dict, date]:
    """A client speaking `language`, and the day they last arrived."""
    nationality, family_names, given_names = PEOPLE[language]
    nationality = rng.choice(OTHER_NATIONALITY.get(language, [nationality]))
    family, family_native = rng.choice(family_names)
    given, given_native = rng.choice(given_names)
    born = today - timedelta(days=rng.randint(19 * 365, 55 * 365))
    last_arrival = today - timedelta(days=rng.choice(
        [rng.randint(1, 29), rng.randint(30, 300), rng.randint(330, 372), rng.randint(380, 700)]
    ))
    detained = rng.random() < 0.08
    in_proceedings = detained or rng.random() < 0.35
    hearing = today + timedelta(days=rng.randint(3, 200)) if in_proceedings else None
    client = {
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
        "city": "San Diego", "state": "CA", "current_status": rng.choice(
            ["parole", "none", "asylum_pending", "visitor"]),
        "detained": detained,
        "detention_facility": rng.choice(FACILITIES) if detained else "",
        "in_removal_proceedings": in_proceedings,
        "notice_to_appear_date": last_arrival + timedelta(days=1) if in_proceedings else None,
        "next_hearing_date": hearing,
        "parent_or_guardian_in_us": True,
    }  # fmt: skip
    return client, last_arrival


def _demo_family(rng: random.Random, today: date, language: str, client: dict) -> list[dict]:
    """Maybe a spouse about the client's age, and up to three children, of the client's name."""
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


def _demo_claim(rng: random.Random, language: str) -> dict:
    past, feared = STORIES[language]
    return {"ground_political_opinion": rng.random() < 0.7,
            "ground_social_group": rng.random() < 0.4,
            "ground_religion": rng.random() < 0.1,
            "mobilisation_notice": language in {"ru", "uk"} and rng.random() < 0.4,
            "conscientious_objector": rng.random() < 0.3,
            "past_harm": past, "feared_harm": feared}  # fmt: skip


def demo_case(rng: random.Random, today: date, index: int) -> dict:
    """One case's values: client, entries, family, claim, case; plain dicts.

    The same rng gives the same cases: the helpers draw from it in a fixed order."""
    language = rng.choice(["ru", "ru", "ru", "uk", "es", "es", "en"])
    client, last_arrival = _demo_client(rng, today, index, language)
    entries = [{"date": last_arrival, "place": rng.choice(PLACES),
                "manner": rng.choice([MannerOfEntry.CBP_ONE, MannerOfEntry.PORT_INSPECTED,
                                      MannerOfEntry.BETWEEN_PORTS, MannerOfEntry.PAROLE])}]
    members = _demo_family(rng, today, language, client)
    claim = _demo_claim(rng, language)
    case = {"stage": rng.choice(STAGES)}
    return {"client": client, "entries": entries, "family": members, "claim": claim,
            "case": case}  # fmt: skip
