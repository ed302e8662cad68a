"""The client's check constraints (Django's CheckConstraint, checked by the database) refuse
exactly the rows the rules say, and give their message on the wizard's forms."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.models import Client, Court

from ..intake_data import answers

pytestmark = pytest.mark.django_db


def _passes(constraint, instance, exclude=None) -> bool:
    try:
        constraint.validate(type(instance), instance, exclude=exclude)
    except ValidationError:
        return False
    return True


def _expected(name, client) -> bool:
    return {
        "client_facility_only_when_detained": client.detained or not client.detention_facility,
        "client_hearing_only_in_proceedings": client.in_removal_proceedings
        or (client.next_hearing_date is None and client.hearing_court is None),
        "client_has_a_contact": bool(client.email or client.phone),
    }[name]


def test_the_clients_constraints_refuse_exactly_what_the_rules_say():
    court = Court.objects.first()
    values = itertools.product(
        [True, False], ["", "Otay Mesa"],  # detained, facility
        [True, False], [None, date(2027, 1, 8)], [None, court],  # proceedings, hearing, court
        ["", "a@example.org"], ["", "+16195550100"],  # e-mail, phone
    )
    seen = set()
    for detained, facility, proceedings, hearing, hearing_court, email, phone in values:
        client = Client(
            detained=detained, detention_facility=facility,
            in_removal_proceedings=proceedings, next_hearing_date=hearing,
            hearing_court=hearing_court, email=email, phone=phone,
        )  # fmt: skip
        for constraint in Client._meta.constraints:
            passes = _passes(constraint, client)
            assert passes == _expected(constraint.name, client), (
                constraint.name, detained, facility, proceedings, hearing, hearing_court,
                email, phone,
            )  # fmt: skip
            seen.add((constraint.name, passes))
    assert len(seen) == 6  # each constraint both passed and failed


def test_a_constraint_on_a_field_not_being_checked_is_left_for_later():
    client = Client(email="", phone="")
    contact = next(c for c in Client._meta.constraints if c.name == "client_has_a_contact")
    assert _passes(contact, client, exclude={"phone"})


def test_no_contact_at_all_gets_the_constraints_message_on_the_form():
    from intake.forms import AboutYouForm

    # A channel the form does not offer, so no channel's own message comes first.
    about = {**answers()["about"], "about-email": "", "about-phone": "",
             "about-preferred_contact": "post"}  # fmt: skip
    form = AboutYouForm(about, prefix="about")
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Please give an e-mail address or a phone number so we can reach you."
    ]
