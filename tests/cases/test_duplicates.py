"""Possible duplicates across spellings and scripts, with PostgreSQL's pg_trgm."""

from datetime import date

import pytest

from cases.duplicates import find_possible_duplicates

from ..factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing():
    return CaseFactory(client=ClientFactory(
        given_names="Dmitry", family_name="Politov", given_names_native="Дмитрий",
        family_name_native="Политов", email="dmitry@example.org", phone="+16195550100",
    ))  # fmt: skip


def new_client(**values):
    defaults = {"email": "new@example.org", "phone": "+16195550999"}
    return ClientFactory(**{**defaults, **values})


@pytest.mark.parametrize(
    ("values", "duplicate"),
    [
        ({"given_names": "Dmitrii", "given_names_native": "", "family_name_native": ""}, True),
        ({"given_names": "Dmitriy", "given_names_native": "", "family_name_native": ""}, True),
        # Only the Cyrillic spelling matches: a Latin name typed quite differently.
        ({"given_names": "D.", "family_name": "Politoff", "given_names_native": "Дмитрий",
          "family_name_native": "Политов"}, True),
        ({"given_names": "Sergey", "family_name": "Smirnov", "given_names_native": "Сергей",
          "family_name_native": "Смирнов"}, False),
        ({"given_names": "Dmitrii", "date_of_birth": date(1991, 5, 17)}, False),
        ({"given_names": "Olga", "family_name": "Ivanova", "email": "DMITRY@example.org"}, True),
        ({"given_names": "Olga", "family_name": "Ivanova", "phone": "+16195550100"}, True),
    ],
)
def test_possible_duplicates(existing, values, duplicate):
    found = find_possible_duplicates(new_client(**values))
    assert (found == [existing]) is duplicate


def test_someone_who_writes_again_and_again_is_linked_to_the_newest_cases(existing):
    again = [CaseFactory(client=new_client(email="dmitry@example.org")) for _ in range(25)]
    found = find_possible_duplicates(new_client(email="dmitry@example.org"))
    assert found == again[-20:]
