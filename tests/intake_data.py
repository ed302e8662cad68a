"""A complete, valid set of wizard answers, as a browser would post them."""

import datetime

from cases.models import Court


def answers(**overrides) -> dict[str, dict]:
    """Each step's posted fields by slug, fresh dicts; `overrides` update a step's fields."""
    steps = {
        "consent": {"consent-consent": "on", "consent-no_relationship_yet": "on"},
        "about": _about_answers(),
        "arrival": _arrival_answers(),
        "family": _family_answers(),
        "claim": _claim_answers(),
        "documents": {},
    }
    for step, values in overrides.items():
        steps[step] = {**steps[step], **values}
    return steps


def _about_answers() -> dict[str, str]:
    """About you: a Russian man, with his name also in Cyrillic."""
    return {
        "about-family_name": "Politov",
        "about-given_names": "Dmitry",
        "about-family_name_native": "Политов",
        "about-given_names_native": "Дмитрий",
        "about-other_names": "Dmitrii Politov",
        "about-date_of_birth": "1990-05-17",
        "about-sex": "male",
        "about-marital_status": "married",
        "about-nationality": "RU",
        "about-country_of_birth": "RU",
        "about-passport_number": "751234567",
        "about-languages": "русский, English",
        "about-preferred_language": "ru",
        "about-email": "dmitry@example.org",
        "about-phone": "+1 619 555 0100",
        "about-preferred_contact": "email",
        "about-address_line1": "1200 Main St",
        "about-city": "San Diego",
        "about-state": "CA",
        "about-postal_code": "92101",
    }


def _arrival_answers() -> dict[str, str]:
    """One entry, in removal proceedings with a hearing in 40 days in San Diego."""
    court = Court.objects.get(name__startswith="San Diego")
    hearing = datetime.date.today() + datetime.timedelta(days=40)
    return {
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "1",
        "entries-MAX_NUM_FORMS": "20",
        "entries-0-date": "2026-03-02",
        "entries-0-place": "San Ysidro",
        "entries-0-manner": "cbp_one",
        "status-countries_transited": "Turkey, Mexico",
        "status-current_status": "parole",
        "status-a_number": "A-123-456-789",
        "status-in_removal_proceedings": "on",
        "status-notice_to_appear_date": "2026-03-02",
        "status-next_hearing_date": hearing.isoformat(),
        "status-hearing_court": str(court.pk),
    }


def _family_answers() -> dict[str, str]:
    """His wife, still in Moscow."""
    return {
        "family-TOTAL_FORMS": "1",
        "family-INITIAL_FORMS": "0",
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": "30",
        "family-0-relationship": "spouse",
        "family-0-family_name": "Politova",
        "family-0-given_names": "Elena",
        "family-0-name_native": "Елена Политова",
        "family-0-date_of_birth": "1992-08-01",
        "family-0-sex": "female",
        "family-0-nationality": "RU",
        "family-0-marital_status": "married",
        "family-0-current_location": "Москва",
    }


def _claim_answers() -> dict[str, str]:
    """Political opinion and a mobilisation notice; the story in Russian."""
    return {
        "claim-ground_political_opinion": "on",
        "claim-mobilisation_notice": "on",
        "claim-past_harm": "Меня задержали на митинге в 2022 году.",
        "claim-feared_harm": "Меня мобилизуют и отправят на войну.",
        "claim-harmed_by": "Полиция",
        "claim-reported": "no",
    }


def walk(client, steps: dict[str, dict]):
    """Post every step with "Save and continue"; returns the last response."""
    response = None
    for slug, data in steps.items():
        response = client.post(f"/intake/step/{slug}/", {**data, "action": "next"})
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    return response
