"""Search by name in any order, with commas, across the usual transliterations of Russian
and Ukrainian names and across scripts: one table, run on PostgreSQL (the suite's database,
with its trigram matching of typos) and on SQLite (the embedded demo, in a subprocess)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cases.filters import CaseFilter
from cases.models import Case
from cases.names import fold_token, name_fold

ROOT = Path(__file__).resolve().parents[2]

# Who is on file: (label, Latin given, Latin family, native given, native family, other names)
PEOPLE = [
    ("politov", "Alexey", "Politov", "Алексей", "Политов", ""),
    ("oliynyk", "Natalia", "Oliynyk", "Наталія", "Олійник", ""),
    ("kovalenko", "Yuri", "Kovalenko", "", "", ""),
    ("smirnov", "Sergey", "Smirnov", "", "", ""),
    ("morozov", "Evgeny", "Morozov", "Евгений", "Морозов", ""),
    ("volkova", "Kseniya", "Volkova", "", "", ""),
    ("sokolov", "Dmitriy", "Sokolov", "", "", "Dima Sokoloff"),
    ("hryhorenko", "Olha", "Hryhorenko", "Ольга", "Григоренко", ""),
    ("garcia", "Ana", "García López", "", "", ""),
]

# (what staff type, who must be found: exactly these)
SEARCHES = [
    ("Alexey Politov", {"politov"}),
    ("Politov Alexey", {"politov"}),
    ("Politov, Alexey", {"politov"}),
    ("politov,alexey", {"politov"}),
    ("Alexei Politov", {"politov"}),
    ("Aleksei Politov", {"politov"}),
    ("ALEKSEY POLITOV", {"politov"}),
    ("Алексей Политов", {"politov"}),
    ("Политов, Алексей", {"politov"}),
    ("Oliynyk", {"oliynyk"}),
    ("Oliinyk", {"oliynyk"}),
    ("Oliynik", {"oliynyk"}),
    ("Олійник", {"oliynyk"}),
    ("Oliinyk, Nataliya", {"oliynyk"}),
    ("Natalya Oliinyk", {"oliynyk"}),
    ("Yurii Kovalenko", {"kovalenko"}),
    ("Iurii Kovalenko", {"kovalenko"}),
    ("Kovalenko Yuriy", {"kovalenko"}),
    ("Юрий Коваленко", {"kovalenko"}),
    ("Юрій Коваленко", {"kovalenko"}),
    ("Serhii Smirnov", {"smirnov"}),
    ("Sergei Smirnov", {"smirnov"}),
    ("Сергей Смирнов", {"smirnov"}),
    ("Yevgeniy Morozov", {"morozov"}),
    ("Evgenii Morozov", {"morozov"}),
    ("Xenia Volkova", {"volkova"}),
    ("Ksenia Volkova", {"volkova"}),
    ("Ксения Волкова", {"volkova"}),
    ("Dmitry Sokolov", {"sokolov"}),
    ("Dmitrii Sokolov", {"sokolov"}),
    ("Дмитрий Соколов", {"sokolov"}),
    ("Dima Sokoloff", {"sokolov"}),  # the other names they use
    ("Olga Hryhorenko", {"hryhorenko"}),
    ("Ольга Григоренко", {"hryhorenko"}),
    ("Grigorenko", {"hryhorenko"}),
    ("Ana García", {"garcia"}),
    ("lopez ana", {"garcia"}),
    ("polit", {"politov"}),  # the start of a name, as typed
    # Clearly different people: no false hits.
    ("Ivan Petrov", set()),
    ("Mikhail Orlov", set()),
    ("Alexandra Politova Kuznetsova", set()),
    ("Tatiana Melnyk", set()),
    ("Ana Politov", set()),  # each word must match one person, not a word each
    ("ana oksana", set()),
]


def make_people():
    from tests.factories import CaseFactory, ClientFactory

    cases = {}
    for i, (label, given, family, given_native, family_native, other) in enumerate(PEOPLE):
        cases[label] = CaseFactory(client=ClientFactory(
            given_names=given, family_name=family, given_names_native=given_native,
            family_name_native=family_native, other_names=other,
            email=f"person{i}@example.org", phone="",
        ))  # fmt: skip
    return cases


def found(cases, query) -> set[str]:
    labels = {case.pk: label for label, case in cases.items()}
    matches = CaseFilter({"q": query}, queryset=Case.objects.all()).qs
    return {labels[case.pk] for case in matches}


def sqlite_run():
    """Run the table against the current database (the subprocess's SQLite) and print
    every query's labels found, as JSON."""
    cases = make_people()
    print(json.dumps({query: sorted(found(cases, query)) for query, _ in SEARCHES}))


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_postgresql_finds_exactly_these_people(query, expected):
    assert found(make_people(), query) == expected


@pytest.mark.django_db
def test_the_dashboard_finds_a_name_written_the_other_way_round(client, attorney):
    cases = make_people()
    page = client.get("/cases/", {"q": "Oliinyk, Nataliya"}).context["page"]
    assert [case.reference for case in page] == [cases["oliynyk"].reference]


@pytest.mark.django_db
def test_postgresql_still_finds_typos_through_trigrams():
    # Not a transliteration, a slip of the keyboard: pg_trgm's word similarity.
    assert found(make_people(), "Politvo") == {"politov"}


def test_sqlite_finds_exactly_the_same_people(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}"}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    run = "from tests.cases.test_name_search import sqlite_run; sqlite_run()"
    out = subprocess.run([*manage, "shell", "-c", run], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    results = json.loads(out.strip().splitlines()[-1])
    assert results == {query: sorted(expected) for query, expected in SEARCHES}


@pytest.mark.parametrize(("spellings"), [
    ("Alexey", "Alexei", "Aleksei", "Aleksey", "Алексей"),
    ("Oliynyk", "Oliinyk", "Oliynik", "Олійник"),
    ("Yuri", "Yurii", "Iurii", "Yuriy", "Юрий", "Юрій"),
    ("Dmitry", "Dmitriy", "Dmitrii", "Дмитрий"),
    ("Sergey", "Sergei", "Serhii", "Сергей", "Сергій"),
    ("Natalia", "Natalya", "Nataliya", "Наталья", "Наталія"),
    ("Evgeny", "Yevgeniy", "Evgenii", "Евгений", "Євгеній"),
    ("Kseniya", "Xenia", "Ksenia", "Ксения"),
    ("Olga", "Olha", "Ольга"),
    ("Andrei", "Andrey", "Andriy", "Andrii", "Андрей", "Андрій"),
])  # fmt: skip
def test_the_usual_spellings_of_one_name_fold_to_one_word(spellings):
    assert len({fold_token(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(("one", "other"), [
    ("Alexey", "Alexandra"), ("Dmitry", "Dmytro"), ("Ivan", "Ivanna"), ("Olga", "Oleg"),
    ("Sergey", "Semyon"), ("Yuri", "Yulia"), ("Politov", "Petrov"),
])  # fmt: skip
def test_different_names_stay_different(one, other):
    assert fold_token(one) != fold_token(other)


def test_the_folded_field_holds_each_word_once_in_both_scripts():
    assert name_fold("Alexey", "Politov", "Алексей", "Политов", "") == " aleksi politov"


@pytest.mark.django_db
def test_seeded_and_migrated_rows_are_folded_as_a_save_folds_them():
    """The demo's bulk inserts fold names as save() does, and so does the migration that
    added the field, for the rows already there."""
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    from cases.models import Client, FamilyMember

    call_command("seed_demo", "--cases", "4", verbosity=0)
    clients = list(Client.objects.all())
    assert clients and all(c.name_fold for c in clients)
    for client in clients:
        before = client.name_fold
        client.set_name_keys()
        assert client.name_fold == before
    Client.objects.update(name_fold="")
    FamilyMember.objects.update(name_fold="")
    importlib.import_module("cases.migrations.0009_name_fold").fill(apps, None)
    for client in Client.objects.all():
        before = client.name_fold
        client.set_name_keys()
        assert before and client.name_fold == before
    for member in FamilyMember.objects.all():
        before = member.name_fold
        member.set_derived()
        assert before and member.name_fold == before
