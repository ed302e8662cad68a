"""A retained client with every I-589 answer the questionnaire asks, shared by the I-589
tests: Russian names in both scripts, a spouse, five children (one past the form's four),
six addresses of the past five years (one past the form's five), a job, a school, parents
and a sibling, and explanations in Russian, some translated."""

from datetime import date, timedelta

from cases.models import AsylumClaim, Employment, Entry, FamilyMember, Residence, Schooling
from cases.timezones import today

from ..factories import CaseFactory

PAST_HARM = "В марте меня трижды вызывали в военкомат."
ARRESTED = "Меня задержали на антивоенном пикете в Казани."


def prepared_case(**client_values):
    on = today()
    case = CaseFactory(stage="retained")
    client = case.client
    values = {
        "marital_status": "married", "a_number": "A123456789", "ssn": "123-45-6789",
        "city_of_birth": "Kazan", "nationality_at_birth": "RU", "ethnicity": "Tatar",
        "religion": "Muslim", "passport_country": "RU", "passport_number": "753159852",
        "passport_expires_on": date(2031, 4, 30), "i94_number": "12345678901",
        "native_language": "Russian, Tatar", "fluent_in_english": False,
        "left_country_on": date(2022, 9, 25), "address_line1": "1200 Ocean Ave",
        "address_line2": "Apt 4", "city": "San Diego", "state": "CA", "postal_code": "92101",
        "given_names": "Dmitry Olegovich", "given_names_native": "Дмитрий Олегович",
        **client_values,
    }  # fmt: skip
    for name, value in values.items():
        setattr(client, name, value)
    client.save()
    Entry.objects.create(client=client, date=date(2022, 10, 3), place="San Ysidro",
                         manner="cbp_one")  # fmt: skip
    FamilyMember.objects.create(
        client=client, relationship="spouse", family_name="Politova", given_names="Anna",
        name_native="Политова Анна", date_of_birth=date(1992, 2, 3), sex="female",
        nationality="RU", marital_status="married", marriage_date=date(2014, 6, 7),
        marriage_place="Kazan, Russia", in_united_states=True, last_entry_date=date(2022, 10, 3),
        last_entry_place="San Ysidro", city_of_birth="Kazan", country_of_birth="RU",
    )  # fmt: skip
    for n in range(5):
        FamilyMember.objects.create(
            client=client, relationship="child", family_name="Politov",
            given_names=f"Child{n}", date_of_birth=date(2012 + n, 1, 1), sex="male",
            nationality="RU", marital_status="single", in_united_states=n < 2,
        )  # fmt: skip
    FamilyMember.objects.create(client=client, relationship="parent", family_name="Politova",
                                given_names="Elena", sex="female", marital_status="married",
                                name_native="Политова Елена", city_of_birth="Ufa",
                                country_of_birth="RU", current_location="Kazan, Russia")
    FamilyMember.objects.create(client=client, relationship="sibling", family_name="Politov",
                                given_names="Ivan", marital_status="single", deceased=True)
    Residence.objects.create(client=client, kind="before_us", street="ul. Baumana 5",
                             city="Kazan", province="Tatarstan", country="RU",
                             from_on=date(2015, 1, 1), to_on=date(2022, 9, 1))
    # Six addresses back to back over the past five years (the form has five lines).
    start = on.replace(day=1) - timedelta(days=6 * 365)
    for n in range(6):
        begin = start + timedelta(days=365 * n)
        end = None if n == 5 else start + timedelta(days=365 * (n + 1))
        Residence.objects.create(client=client, kind="five_years", street=f"Street {n}",
                                 city="Kazan" if n < 5 else "San Diego",
                                 country="RU" if n < 5 else "US", from_on=begin, to_on=end)
    Employment.objects.create(client=client, employer="KAMAZ", address="Naberezhnye Chelny",
                              occupation="Engineer", from_on=date(2016, 3, 1),
                              to_on=date(2022, 9, 1))
    Schooling.objects.create(client=client, name="Kazan Federal University",
                             school_type="university", location="Kazan",
                             from_on=date(2008, 9, 1), to_on=date(2013, 6, 1))
    AsylumClaim.objects.create(
        client=client, ground_political_opinion=True, feared_harm="Меня мобилизуют.",
        feared_harm_en="I will be mobilised.", past_harm=PAST_HARM,
        arrested_abroad=True, arrested_abroad_details=ARRESTED,
        arrested_abroad_details_en="I was detained at an anti-war picket in Kazan.",
        organisations=False, organisations_continued=False, fears_torture=False,
        family_applied_before=False, other_country_travel=True, other_country_status=False,
        other_country_details="Через Мексику, две недели.", harmed_others=False,
        us_crimes=False,
    )  # fmt: skip
    case.refresh_from_db()
    return case
