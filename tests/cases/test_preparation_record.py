"""cases.preparation: what the records give the questionnaire, and the one write of a
client's confirmed answers, against PostgreSQL."""

import datetime

import pytest

from cases.models import CaseAccess, Deadline, Employment, FamilyMember, Residence
from cases.preparation import preparation_record, prepared_answers
from cases.timezones import today

from ..factories import FamilyMemberFactory, opened_intake

pytestmark = pytest.mark.django_db


def answers_for(case, **overrides) -> dict:
    client = case.client
    spouse = client.family.get(relationship="spouse")
    arrived = client.entries.get().date
    answers = {
        "client": {"city_of_birth": "Kazan", "ethnicity": "Tatar", "ssn": "123456789",
                   "i94_number": "123456789A1", "marital_status": "married"},
        "claim": {"arrested_abroad": True, "arrested_abroad_details": "Задержан в 2021.",
                  "fears_torture": False, "fears_torture_details": ""},
        "family": [
            {"pk": spouse.pk, "relationship": "spouse", "family_name": "Politova",
             "given_names": "Elena", "marriage_date": datetime.date(2015, 6, 20),
             "marriage_place": "Kazan", "passport_number": "759999999",
             "country_of_birth": "RU", "in_immigration_court": False},
        ],
        "residences": [
            {"kind": "before_us", "street": "ul. Baumana 5", "city": "Kazan", "country": "RU",
             "from_on": datetime.date(2018, 4, 1), "to_on": datetime.date(2026, 2, 1)},
            {"kind": "five_years", "city": "San Diego", "country": "US",
             "from_on": datetime.date(2026, 3, 1), "to_on": None},
        ],
        "employment": [{"employer": "KazanSoft", "occupation": "Engineer",
                        "from_on": datetime.date(2019, 1, 1), "to_on": None}],
        "schooling": [],
        "entries": [{"date": arrived, "place": "San Ysidro", "manner": "cbp_one",
                     "visa_type": ""}],
    }  # fmt: skip
    answers.update(overrides)
    return answers


@pytest.fixture
def case():
    case = opened_intake("normal")
    FamilyMemberFactory(client=case.client, relationship="spouse", given_names="Elena",
                        family_name="Politova", marital_status="married")  # fmt: skip
    claim = case.client.claim
    claim.feared_harm_en = "They will mobilise me."
    claim.arrested_abroad_details_en = "Detained in 2021 (firm's translation)."
    claim.save()
    return case


def test_prepared_answers_are_the_first_intakes(case):
    """The questionnaire opens with what the intake recorded: names, the entry, the spouse."""
    known = prepared_answers(case)
    assert known["client"]["given_names"] == case.client.given_names
    assert known["client"]["nationality_at_birth"] == ""
    assert known["entries"][0]["place"] == "San Ysidro"
    spouse = case.client.family.get()
    assert known["family"] == [{**known["family"][0], "pk": spouse.pk, "given_names": "Elena"}]
    assert known["claim"]["arrested_abroad"] is None  # not asked yet


def test_the_answers_are_written_to_every_record(case):
    """Two addresses, one job, a spouse's marriage, the claim's B.2 answer; the story kept."""
    preparation_record(case=case, answers=answers_for(case))
    client = case.client.__class__.objects.get(pk=case.client_id)
    assert (client.city_of_birth, client.ssn, client.i94_number) == (
        "Kazan", "123456789", "123456789A1")
    assert client.prepared_at is not None
    assert sorted(Residence.objects.filter(client=client).values_list("kind", "city")) == [
        ("before_us", "Kazan"), ("five_years", "San Diego")]
    assert Employment.objects.get(client=client).employer == "KazanSoft"
    spouse = FamilyMember.objects.get(client=client)
    assert (spouse.marriage_date, spouse.passport_number) == (
        datetime.date(2015, 6, 20), "759999999")
    claim = client.claim
    assert claim.arrested_abroad and claim.arrested_abroad_details == "Задержан в 2021."
    # The client's first words and the firm's translations stay.
    assert claim.feared_harm == "Меня мобилизуют и отправят на войну."
    assert claim.feared_harm_en == "They will mobilise me."
    assert claim.arrested_abroad_details_en == "Detained in 2021 (firm's translation)."
    audit = CaseAccess.objects.get(action=CaseAccess.Action.CLIENT_PREPARED)
    assert audit.user is None
    assert audit.detail["rows"]["residences"] == 2 and not audit.detail["retriaged"]
    assert "Kazan" not in str(audit.detail)


def test_the_lists_are_replaced_when_sent_again(case):
    preparation_record(case=case, answers=answers_for(case))
    again = answers_for(case, residences=[{"kind": "before_us", "city": "Moscow",
                                           "country": "RU"}])  # fmt: skip
    preparation_record(case=case, answers=again)
    assert list(Residence.objects.values_list("city", flat=True)) == ["Moscow"]
    assert CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).count() == 2


def test_a_corrected_arrival_moves_the_deadline_and_triage(case):
    """An entry ten days ago (the intake said 100): the one-year deadline follows and the
    case is high priority (an arrival in the last 30 days)."""
    assert case.priority == "normal"
    recent = today() - datetime.timedelta(days=10)
    answers = answers_for(case)
    answers["entries"] = [{**answers["entries"][0], "date": recent}]
    preparation_record(case=case, answers=answers)
    case.refresh_from_db()
    assert case.priority == "high"
    one_year = Deadline.objects.get(case=case, kind="one_year")
    assert one_year.due_date.year == recent.year + 1
    assert CaseAccess.objects.get(action=CaseAccess.Action.CLIENT_PREPARED).detail["retriaged"]


def test_a_relative_the_client_left_out_is_kept_and_a_new_one_added(case):
    answers = answers_for(case)
    answers["family"] = [{"pk": None, "relationship": "parent", "family_name": "Politov",
                          "given_names": "Ivan", "deceased": True, "country_of_birth": "RU"}]
    preparation_record(case=case, answers=answers)
    names = sorted(case.client.family.values_list("given_names", flat=True))
    assert names == ["Elena", "Ivan"]
