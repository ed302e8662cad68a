"""I-589 readiness: each rule over plain values, then what a case's records leave answered,
missing and inconsistent per part of the form."""

from datetime import date

import pytest

from cases.i589 import readiness as r
from cases.i589.readiness import readiness_of
from cases.models import FamilyMember, Residence

from ..factories import CaseFactory
from .i589_world import prepared_case

ON = date(2026, 12, 2)


def test_entry_before_leaving_the_country_is_flagged():
    assert r.entries_before_departure([date(2022, 9, 20)], date(2022, 9, 25)) == [
        "An entry on 09/20/2022 is before the date the client left their country "
        "(09/25/2022)."]  # fmt: skip
    assert r.entries_before_departure([date(2022, 9, 25), date(2023, 1, 1)],
                                      date(2022, 9, 25)) == []  # fmt: skip
    assert r.entries_before_departure([date(2022, 9, 20)], None) == []


def test_child_born_after_the_sheets_date():
    assert r.child_born_after(date(2026, 12, 3), ON, "Anna") == [
        "Anna's date of birth (12/03/2026) is after today (12/02/2026)."]
    assert r.child_born_after(ON, ON) == []
    assert r.child_born_after(None, ON) == []


def test_marriage_before_fourteen_or_after_today():
    born = date(1990, 5, 17)
    assert r.marriage_date_problems(date(2004, 5, 16), born, ON)  # 13 years old
    assert r.marriage_date_problems(date(2004, 5, 17), born, ON) == []  # 14 that day
    assert r.marriage_date_problems(date(2026, 12, 3), born, ON) == [
        "The date of marriage (12/03/2026) is after today."]
    assert r.marriage_date_problems(None, born, ON) == []


@pytest.mark.django_db
def test_a_child_born_before_the_marriage_is_fine():
    """No rule compares a child's birth to the marriage: a child born before it is common
    and no inconsistency."""
    case = prepared_case()
    spouse = case.client.family.get(relationship="spouse")
    spouse.marriage_date = date(2020, 6, 1)  # after every child's birth (2012-2016)
    spouse.save()
    parts = {p.part: p for p in readiness_of(case, on=ON)}
    assert parts["A.II"].inconsistent == []


def test_periods_ending_before_they_start_or_overlapping():
    assert r.period_problems([(date(2022, 5, 1), date(2021, 5, 1))], ON) == [
        "The address from 05/01/2022 ends before it starts (05/01/2021)."]
    overlap = r.period_problems([(date(2020, 1, 1), date(2022, 1, 1)),
                                 (date(2021, 1, 1), None)], ON)  # fmt: skip
    assert overlap == ["Two addresses overlap: 01/01/2020–01/01/2022 and 01/01/2021–12/02/2026."]
    # Moving in the month one leaves is no overlap.
    assert r.period_problems([(date(2020, 1, 1), date(2022, 1, 31)),
                              (date(2022, 1, 1), None)], ON) == []  # fmt: skip


def test_passport_expired_today_not_at_entry():
    assert r.passport_expired(date(2026, 12, 1), ON) == ["The passport expired on 12/01/2026."]
    assert r.passport_expired(ON, ON) == []  # valid through its last day
    assert r.passport_expired(None, ON) == []


def test_last_arrival_over_a_year_ago_needs_c5():
    assert r.late_without_explanation(date(2025, 1, 1), None, ON, "")
    assert r.late_without_explanation(date(2025, 1, 1), None, ON, "I was in hospital.") == []
    assert r.late_without_explanation(date(2026, 1, 1), None, ON, "") == []
    # Filed within the year: not late, whatever today is.
    assert r.late_without_explanation(date(2025, 1, 1), date(2025, 6, 1), ON, "") == []


def test_a_yes_needs_its_explanation():
    assert r.yes_without_explanation("B.2", True, " ") == ["B.2 is answered Yes with no "
                                                           "explanation."]  # fmt: skip
    assert r.yes_without_explanation("B.2", True, "Detained in 2021.") == []
    assert r.yes_without_explanation("B.2", False, "") == []
    assert r.yes_without_explanation("B.2", None, "") == []


def test_spouse_listed_but_client_single():
    assert r.spouse_but_single("single", True)
    assert r.spouse_but_single("married", True) == []
    assert r.spouse_but_single("divorced", True) == []
    assert r.spouse_but_single("single", False) == []


def test_five_years_of_addresses_without_a_gap():
    assert r.address_gaps([], ON) == ["No address for the past 5 years."]
    assert r.address_gaps([(date(2021, 11, 1), None)], ON) == []
    assert r.address_gaps([(date(2021, 11, 1), date(2024, 1, 1)), (date(2025, 1, 1), None)],
                          ON) == ["No address from 01/01/2024 to 01/01/2025."]  # fmt: skip
    assert r.address_gaps([(date(2023, 1, 1), None)], ON) == [
        "No address from 12/02/2021 to 01/01/2023."]
    assert r.address_gaps([(date(2021, 1, 1), date(2025, 1, 1))], ON) == [
        "No address from 01/01/2025 to today."]


@pytest.mark.django_db
def test_a_prepared_case_shows_only_its_real_gaps():
    """The shared case: A.I and A.III answered; the untranslated B.1.A is no gap (the story
    is there); C.5 asked for (arrived four years ago, no explanation)."""
    case = prepared_case()
    parts = {p.part: p for p in readiness_of(case, on=ON)}
    assert parts["A.I"].missing == [] and parts["A.I"].inconsistent == []
    assert parts["A.III"].inconsistent == []
    assert parts["B"].complete
    assert any("C.5 has no explanation" in p for p in parts["C"].inconsistent)
    answered = dict(parts["A.I"].answered)
    assert answered["A.I.14"] == "Present nationality (citizenship)"


@pytest.mark.django_db
def test_a_fresh_intake_misses_the_questionnaires_items():
    case = CaseFactory()
    parts = {p.part: p for p in readiness_of(case, on=ON)}
    missing = dict(parts["A.I"].missing)
    assert {"A.I.13", "A.I.15", "A.I.16", "A.I.17", "A.I.19.a", "A.I.23"} <= set(missing)
    assert "A.I.1" not in missing  # an A-number is "if any"
    assert dict(parts["A.III"].missing).keys() >= {"A.III.1", "A.III.2", "A.III.3"}
    assert ("B", "No claim recorded") in parts["B"].missing
    assert parts["A.III"].inconsistent == ["No address for the past 5 years."]


@pytest.mark.django_db
def test_records_that_disagree_are_listed_under_their_part():
    case = prepared_case(left_country_on=date(2022, 10, 10), marital_status="single",
                         passport_expires_on=date(2024, 1, 1))  # fmt: skip
    client = case.client
    FamilyMember.objects.create(client=client, relationship="child", family_name="Politov",
                                given_names="Late", date_of_birth=date(2027, 1, 1),
                                marital_status="single")  # fmt: skip
    Residence.objects.create(client=client, kind="five_years", city="Omsk", country="RU",
                             from_on=date(2024, 5, 1), to_on=date(2023, 5, 1))
    claim = client.claim
    claim.organisations, claim.organisations_details = True, ""
    claim.save()
    parts = {p.part: p for p in readiness_of(case, on=ON)}
    assert "An entry on 10/03/2022 is before the date the client left their country " \
           "(10/10/2022)." in parts["A.I"].inconsistent
    assert "The passport expired on 01/01/2024." in parts["A.I"].inconsistent
    assert "A spouse is listed but the client's marital status is single." in \
           parts["A.II"].inconsistent
    assert "Late's date of birth (01/01/2027) is after today (12/02/2026)." in \
           parts["A.II"].inconsistent
    assert any("ends before it starts" in p for p in parts["A.III"].inconsistent)
    assert "B.3.A is answered Yes with no explanation." in parts["B"].inconsistent
