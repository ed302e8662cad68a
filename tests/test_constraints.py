"""Check constraints checked in Python (intake/constraints.py) give the database's answer for
every combination of the values they read, and the same message on the wizard's forms."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint

from intake.constraints import PythonCheckConstraint
from intake.models import Client, Court, Document, IntakeDraft

from .intake_data import answers

pytestmark = pytest.mark.django_db


def python_and_database_answers(instance, exclude=None):
    for constraint in type(instance)._meta.constraints:
        assert isinstance(constraint, PythonCheckConstraint)
        as_django = CheckConstraint(condition=constraint.condition, name=constraint.name)
        yield (
            constraint.name,
            _passes(constraint, instance, exclude),
            _passes(as_django, instance, exclude),
        )


def _passes(constraint, instance, exclude) -> bool:
    try:
        constraint.validate(type(instance), instance, exclude=exclude)
    except ValidationError:
        return False
    return True


def test_the_clients_constraints_answer_as_the_database_does():
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
        for name, ours, database in python_and_database_answers(client):
            assert ours == database, (name, detained, facility, proceedings, hearing,
                                      hearing_court, email, phone)  # fmt: skip
            seen.add((name, ours))
    assert len(seen) == 6  # each constraint both passed and failed


def test_a_document_belongs_to_a_draft_or_a_client():
    draft = IntakeDraft.objects.create()
    for document in (Document(draft=draft), Document(), Document(client=Client(pk=1))):
        for name, ours, database in python_and_database_answers(document):
            assert ours == database, name


def test_a_constraint_on_a_field_not_being_checked_is_left_for_later():
    client = Client(email="", phone="")
    answers_by_name = {n: ours for n, ours, _ in python_and_database_answers(client, {"phone"})}
    assert answers_by_name["client_has_a_contact"] is True


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
