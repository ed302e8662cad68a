"""Each benchmark intake is a different person, as in a real rush of inquiries, so the
duplicate check does its real work instead of matching every earlier intake."""

import datetime
import itertools
import os
import random

GIVEN = [("Dmitry", "Дмитрий"), ("Oleksandr", "Олександр"), ("Sergey", "Сергей"),
         ("Andriy", "Андрій"), ("Maksim", "Максим"), ("Ivan", "Иван"), ("Taras", "Тарас")]
FAMILY = [("Politov", "Политов"), ("Kovalenko", "Коваленко"), ("Smirnov", "Смирнов"),
          ("Shevchenko", "Шевченко"), ("Volkov", "Волков"), ("Melnyk", "Мельник")]
PEOPLE = itertools.count(1)


def another_person(steps: dict, rng: random.Random) -> dict[str, dict]:
    """A copy of the wizard answers `steps` for someone else."""
    number = next(PEOPLE)
    (given, given_native), (family, family_native) = rng.choice(GIVEN), rng.choice(FAMILY)
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(16000))
    steps = {slug: dict(values) for slug, values in steps.items()}
    steps["about"].update({
        "about-given_names": given, "about-family_name": family,
        "about-given_names_native": given_native, "about-family_name_native": family_native,
        "about-other_names": "", "about-date_of_birth": born.isoformat(),
        "about-email": f"load-{os.getpid()}-{number}@example.org",
        "about-phone": f"+1 619 {rng.randint(200, 999)} {rng.randint(0, 9999):04d}",
    })
    return steps
