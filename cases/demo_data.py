"""Realistic, varied demo cases, generated reproducibly and inserted in bulk."""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from anyascii import anyascii

from .choices import MannerOfEntry
from .services import INTAKE_NOTE

# Family names as many and as unevenly shared as in a real caseload: the first few common
# (an Ivanov or a García in a hundred clients), a long tail of rarer ones. With a handful of
# names a search, the duplicate check or a conflict check at scale finds one client in 20.
# Russian and Ukrainian names are written natively; their Latin spelling is derived.
FAMILY_NAMES = {
    "ru": """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
        Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов
        Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов
        Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин
        Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков
        Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев
        Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов
        Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов
        Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов
        Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов
        Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов
        Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев
        Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин
        Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев
        Цветков Левин Митрофанов Воронов Аксёнов Мальцев Логинов Горшков Савин Краснов
        Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов Фадеев Молчанов
        Игнатов Литвинов Ершов Ушаков Дементьев Рябов Мухин Калашников Леонтьев Лобанов
        Кузин Корнилов Евдокимов Бородин Платонов Некрасов Балашов Бобров Жданов Блинов
        Игнатьев Коротков Муравьёв Крюков Беляков Богомолов Дроздов Лавров Зуев Петухов Ларин
        Никулин Серов Терентьев Зотов Устинов Фокин Самойлов Константинов Сазонов Шубин
        Пестов Политов Ковальский Островский Жуковский Успенский""".split(),
    "uk": """Шевченко Коваленко Бондаренко Ткаченко Кравченко Бойко Коваль Олійник Шевчук
        Поліщук Лисенко Мельник Ткачук Савченко Руденко Марченко Мороз Петренко Кравчук
        Кузьменко Павленко Левченко Харченко Карпенко Гончаренко Романенко Клименко Сидоренко
        Мазур Кушнір Литвиненко Гаврилюк Приходько Ярошенко Кириленко Мартинюк Дмитренко
        Юрченко Пономаренко Демченко Іваненко Мирошниченко Антоненко Костенко Білик
        Тарасенко Головко Нестеренко Федоренко Мельничук Вовк Гуменюк Панченко Зінченко
        Онищенко Яковенко Олексієнко Симоненко Климчук Гордієнко Тимошенко Остапенко Кучер
        Савчук Стельмах Назаренко Гнатюк Заїка Ковальчук Семенюк Герасименко Хоменко Дячук
        Степаненко Пилипенко Лозинський Гребенюк Ковальський Тернопільський""".split(),
    "es": """García Rodríguez González Hernández López Martínez Pérez Sánchez Ramírez Torres
        Flores Rivera Gómez Díaz Morales Reyes Cruz Ortiz Gutiérrez Chávez Ramos Ruiz Mendoza
        Álvarez Castillo Jiménez Moreno Romero Herrera Medina Aguilar Vargas Castro Guzmán
        Fernández Rojas Contreras Salazar Guerrero Luna Delgado Ortega Vásquez Molina Soto
        Silva Núñez Cabrera Campos Vega Ríos Suárez Figueroa Méndez Acosta Navarro Peña
        Rangel Carrillo Paredes Pacheco Zambrano Montilla Briceño Villalobos Urdaneta
        Colmenares Marcano Quintero Barrios Escalona Lugo Bracho Parra Toro""".split(),
    "en": """Mbah Tabe Fon Nkwenti Achu Ngwa Tanyi Ayuk Tambe Ebai Besong Egbe Nfor Ndi Fru Che
        Neba Awah Ngu Tebid Mbu Eyong Agbor Ojong Enow Nkeng Takang Forbe Ambe Nji Mbella Tata
        Chia Suh Wirba Yembe Kum Fomba Bih Nforbi""".split(),
}
# (men's, women's) given names: most of a surge's clients are men fleeing a draft.
GIVEN_NAMES = {
    "ru": ("""Дмитрий Алексей Сергей Иван Михаил Артём Павел Андрей Никита Максим Александр Егор
           Илья Кирилл Роман Евгений Владимир Денис Антон Олег Игорь Георгий Тимур Глеб""",
           """Анна Мария Елена Ольга Наталья Екатерина Татьяна Юлия Ирина Светлана Дарья
           Анастасия"""),
    "uk": ("""Олександр Андрій Юрій Тарас Богдан Дмитро Максим Іван Сергій Микола Василь Олег
           Віталій Роман Назар Остап""",
           "Олена Оксана Наталія Ірина Тетяна Юлія Марія Анна Софія Христина"),
    "es": ("José Luis Carlos Jorge Miguel Juan Pedro Rafael Jesús Antonio Francisco Alejandro "
           "Daniel Manuel Ricardo Andrés",
           "María Ana Carmen Rosa Luisa Gabriela Daniela Andreína Yolanda Carolina"),
    "en": ("Emmanuel Peter Divine Samuel Paul Joseph Eric Collins Brice Junior",
           "Grace Blessing Mary Comfort Esther Gladys"),
}
NATIVE_SCRIPT = {"ru", "uk"}
NATIONALITY = {"ru": "RU", "uk": "UA", "es": "VE", "en": "CM"}
WOMEN = 0.2  # of the clients; spouses are of the other sex
# Zipf-like weights, rank r weighing 1 / (r + 5): the commonest name about 6% of a
# language's clients, the rarest a few in ten thousand.
FAMILY_WEIGHTS = {
    language: list(accumulate(1 / (rank + 5) for rank in range(len(names))))
    for language, names in FAMILY_NAMES.items()
}


def latin(native: str) -> str:
    """The Latin spelling a passport gives a Cyrillic name, soft signs dropped."""
    return anyascii(native).replace("'", "")


def feminine(family: str, language: str) -> str:
    """A Russian or Ukrainian family name as a woman bears it (Политов, Политова)."""
    if language == "ru" and family.endswith(("ов", "ев", "ёв", "ин")):
        return family + "а"
    if family.endswith(("ский", "ський")):
        return family[:-2] + ("ая" if language == "ru" else "а")
    return family


def _family_name(rng: random.Random, language: str) -> str:
    names = FAMILY_NAMES[language]
    family = rng.choices(names, cum_weights=FAMILY_WEIGHTS[language])[0]
    if language == "es":  # a father's and a mother's name
        family += " " + rng.choices(names, cum_weights=FAMILY_WEIGHTS[language])[0]
    return family


def _given_name(rng: random.Random, language: str, woman: bool) -> str:
    return rng.choice(GIVEN_NAMES[language][woman].split())


def _person(language: str, given: str, family: str, woman: bool) -> dict:
    """The name fields of a client or family member: native and Latin spellings."""
    if woman:
        family = feminine(family, language)
    if language not in NATIVE_SCRIPT:  # Latin-script names have no separate native spelling
        return {"given_names": given, "family_name": family}
    return {"given_names": latin(given), "family_name": latin(family),
            "given_names_native": given, "family_name_native": family}  # fmt: skip


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


def _demo_client(rng: random.Random, today: date, index: int, language: str, family: str,
                 story: Timeline) -> dict:  # fmt: skip
    """A client speaking `language`, of the `family` name (as a man bears it), living the
    timeline."""
    nationality = rng.choice(OTHER_NATIONALITY.get(language, [NATIONALITY[language]]))
    woman = rng.random() < WOMEN
    name = _person(language, _given_name(rng, language, woman), family, woman)
    years = (15, 17) if story.minor else (19, 55)
    born = today - timedelta(days=rng.randint(years[0] * 365, years[1] * 365 + 200))
    last_arrival = today - timedelta(days=story.arrived)
    facility = rng.choice(FACILITIES) if story.detained else ""
    hearing = None
    if story.in_proceedings:
        hearing = today + timedelta(days=_hearing_in(rng, story))
    status = "asylum_pending" if story.filed is not None else rng.choice(
        ["parole", "none", "visitor"])  # fmt: skip
    # The address from the Latin spelling, letters only ("jose.garciaperez.7@...").
    local = ".".join(re.sub(r"[^a-z]", "", anyascii(name[part]).lower())
                     for part in ("given_names", "family_name"))  # fmt: skip
    return {
        "family_name": "", "family_name_native": "", "given_names_native": "", **name,
        "date_of_birth": born, "sex": "female" if woman else "male",
        "nationality": nationality, "country_of_birth": nationality,
        "languages": {"ru": "Russian", "uk": "Ukrainian, Russian", "es": "Spanish",
                      "en": "English"}[language],
        "preferred_language": language, "interpreter_needed": language != "en",
        "email": f"{local}.{index}@example.org",
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


def _demo_family(rng: random.Random, today: date, language: str, family: str,
                 client: dict) -> list[dict]:  # fmt: skip
    """Maybe a spouse about the client's age, and up to three children, of the client's
    family name; an unaccompanied child came without any of them."""
    if not client["parent_or_guardian_in_us"]:
        return []
    born = client["date_of_birth"]
    members = []

    def member(woman: bool, **values) -> dict:
        name = _person(language, _given_name(rng, language, woman), family, woman)
        native = f"{name.get('given_names_native', '')} {name.get('family_name_native', '')}"
        return {"family_name": name["family_name"], "given_names": name["given_names"],
                "name_native": native.strip(), "sex": "female" if woman else "male",
                **values}  # fmt: skip

    if rng.random() < 0.6:
        members.append(member(client["sex"] == "male", relationship="spouse",
                              marital_status="married",
                              date_of_birth=born + timedelta(days=rng.randint(-1500, 1500)),
                              travelling_with_client=rng.random() < 0.5))  # fmt: skip
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        members.append(member(rng.random() < 0.5, relationship="child", marital_status="single",
                              date_of_birth=today - timedelta(days=rng.randint(365, 24 * 365)),
                              travelling_with_client=rng.random() < 0.7))  # fmt: skip
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
    family = _family_name(rng, language)
    client = _demo_client(rng, today, index, language, family, story)
    entries = [{"date": today - timedelta(days=story.arrived), "place": rng.choice(PLACES),
                "manner": rng.choice([MannerOfEntry.CBP_ONE, MannerOfEntry.PORT_INSPECTED,
                                      MannerOfEntry.BETWEEN_PORTS, MannerOfEntry.PAROLE])}]
    members = _demo_family(rng, today, language, family, client)
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
