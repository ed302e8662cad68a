"""The data sheet's items: the form's part and item numbers, values as the form wants them
(mm/dd/yyyy, English country names and words, Latin names with the native script beside
them), lists continued on the supplements, JSON keys, explanations only with the permission."""

import io
from datetime import date

import pytest
from django.utils import translation

from cases.i589.items import late_filing, sheet_for, sheet_json, split_given

from .i589_world import ARRESTED, prepared_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet():
    case = prepared_case()
    return sheet_for(case, with_narrative=True, on=date(2026, 12, 2))


def by_key(sheet):
    return {item.key: item for item in sheet.items()}


def test_part_a1_items_carry_the_forms_numbers_and_formats(sheet):
    """Part A.I as the 03/01/23 edition numbers it: names Latin with native beside, dates
    mm/dd/yyyy, countries and words in English."""
    items = by_key(sheet)
    assert items["A.I.1"].value == "A123456789"
    assert items["A.I.2"].value == "123-45-6789"  # the Social Security Number is item 2
    assert items["A.I.4"].value == "Politov (Политов)"
    assert items["A.I.5"].value == "Dmitry (Дмитрий)"
    assert items["A.I.6"].value == "Olegovich (Олегович)"
    assert items["A.I.10"].value == "Male"
    assert items["A.I.11"].value == "Married"
    assert items["A.I.12"].value == "05/17/1990"
    assert items["A.I.13"].value == "Kazan, Russia"
    assert items["A.I.14"].value == "Russia"
    assert items["A.I.16"].value == "Tatar"
    assert items["A.I.18"].value.startswith("a. I have never been")
    assert items["A.I.19.a"].value == "09/25/2022"
    assert items["A.I.19.c"].rows[0] == {"date": "10/03/2022", "place": "San Ysidro",
                                         "status": "Inspected at a port of entry (CBP One)",
                                         "status_expires": ""}  # fmt: skip
    assert items["A.I.20"].value == "Russia"
    assert items["A.I.21"].value == "753159852"
    assert items["A.I.22"].value == "04/30/2031"
    assert items["A.I.23"].value == "Russian, Tatar"
    assert items["A.I.24"].value == "No"


def test_english_whatever_the_active_language():
    """Countries and words stay English when the request's language is Russian."""
    case = prepared_case()
    with translation.override("ru"):
        items = by_key(sheet_for(case, with_narrative=False))
    assert items["A.I.14"].value == "Russia"
    assert items["A.I.10"].value == "Male"


def test_spouse_and_children_with_supplement_a_for_the_fifth_child(sheet):
    items = by_key(sheet)
    assert items["A.II.spouse.5"].value == "Politova (Политова Анна)"
    assert items["A.II.spouse.9"].value == "06/07/2014"
    assert items["A.II.spouse.10"].value == "Kazan, Russia"
    assert items["A.II.spouse.24"].value == "Yes"  # in the US, married: included
    assert items["A.II.children"].value == "I have 5 children."
    assert items["A.II.child[0].8"].value == "01/01/2012"
    assert items["A.II.child[0].21"].value == "Yes"
    assert items["A.II.child[2].21"].value == "No"  # abroad
    assert not items["A.II.child[3].8"].continued
    assert items["A.II.child[4].8"].continued and items["A.II.child[4].8"].supplement == "A"


def test_part_a3_lists_month_and_year_and_supplement_b(sheet):
    items = by_key(sheet)
    last = items["A.III.1"].rows[0]
    assert last == {"street": "ul. Baumana 5", "city": "Kazan", "province": "Tatarstan",
                    "country": "Russia", "from": "01/2015", "to": "09/2022"}  # fmt: skip
    five = items["A.III.2"]
    assert five.rows[0]["city"] == "San Diego" and five.rows[0]["to"] == "Present"
    assert len(five.rows_on_form) == 5 and len(five.rows_continued) == 1
    assert items["A.III.3"].rows[0]["type"] == "University"
    assert items["A.III.4"].rows[0]["employer"] == "KAMAZ, Naberezhnye Chelny"
    relatives = items["A.III.5"].rows
    assert relatives[0]["relation"] == "Mother"
    assert relatives[0]["name"] == "Elena Politova (Политова Елена)"
    assert relatives[1] == {"relation": "Sibling", "name": "Ivan Politov", "birthplace": "",
                            "location": "Deceased"}  # fmt: skip


def test_parts_b_and_c_answers_and_explanations(sheet):
    items = by_key(sheet)
    assert items["B.1"].value == "Political opinion"
    assert items["B.1.A"].value == "Yes"
    # Not translated yet: the client's words, marked so.
    assert items["B.1.A.explanation"].value.startswith("[No English translation yet.")
    assert items["B.1.B.explanation"].value == "I will be mobilised."
    assert items["B.2"].value == "Yes"
    assert items["B.2.explanation"].value == "I was detained at an anti-war picket in Kazan."
    assert items["C.2.A"].value == "Yes" and items["C.2.B"].value == "No"
    assert items["C.5"].value == "Yes"  # arrived 10/03/2022, more than a year before


def test_explanations_left_out_without_the_permission():
    case = prepared_case()
    items = by_key(sheet_for(case, with_narrative=False))
    assert "B.2" in items and "B.2.explanation" not in items
    assert not any(ARRESTED in str(item.value) for item in items.values())


def test_json_keys_are_part_and_item(sheet):
    data = sheet_json(sheet)
    assert data["edition"] == "03/01/23"
    assert data["items"]["A.I.14"] == "Russia"
    assert data["items"]["A.III.2"][0]["city"] == "San Diego"
    assert data["items"]["A.II.child[4].8"] == "01/01/2016"
    assert data["continued"]["A.III.2"] == {"supplement": "B", "from_row": 5}
    assert data["continued"]["A.II.child[4]"]["supplement"] == "A"


def test_given_names_split_into_first_and_middle():
    assert split_given("Dmitry Olegovich") == ("Dmitry", "Olegovich")
    assert split_given("Iryna") == ("Iryna", "")


def test_late_filing_is_more_than_a_year_after_the_last_arrival():
    assert late_filing(date(2025, 3, 2), None, date(2026, 3, 2)) is False
    assert late_filing(date(2025, 3, 2), None, date(2026, 3, 3)) is True
    assert late_filing(date(2025, 3, 2), date(2025, 12, 1), date(2026, 12, 1)) is False
    assert late_filing(None, None, date(2026, 3, 3)) is None


def test_demo_cases_retained_or_later_have_the_questionnaire_answered():
    """seed_demo answers the questionnaire for the cases retained or later, in their
    language, and the sheet has their answers; earlier cases are left as the intake left
    them; a second run adds nothing twice."""
    from django.core.management import call_command

    from cases.demo_preparation import PREPARED_STAGES, fill_demo_preparation
    from cases.models import Case, Residence

    call_command("seed_demo", cases=40, seed=17, stdout=io.StringIO())
    prepared = Case.objects.filter(stage__in=PREPARED_STAGES).select_related("client")
    assert prepared.exists()
    for case in prepared:
        assert case.client.prepared_at is not None
        items = by_key(sheet_for(case, with_narrative=True))
        assert items["A.I.13"].answered and items["A.I.19.a"].answered
        assert items["A.III.2"].rows and items["A.III.5"].rows
    early = Case.objects.exclude(stage__in=PREPARED_STAGES).select_related("client")
    assert all(c.client.prepared_at is None for c in early)
    residences = Residence.objects.count()
    assert fill_demo_preparation(seed=17) == 0
    assert Residence.objects.count() == residences
