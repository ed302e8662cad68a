"""Issue 16, plain text at rest: where a person is detained, where their relatives are now
and the story of an earlier asylum application are stored as Fernet tokens, rows written
before the change included; the app reads them back as before."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cases.models import Case, Client, FamilyMember

from ..factories import CaseFactory, ClientFactory, FamilyMemberFactory
from ..intake_data import answers, walk
from .test_encryption import attorney, raw  # noqa: F401 (a fixture)

FACILITY = "Otay Mesa Detention Center, San Diego"
DETAILS = "Подавал в 2019 году в Сан-Франциско, отказали из-за пропуска срока."
WHERE_NOW = "Москва, у родителей"


@pytest.mark.django_db
def test_a_submitted_intake_stores_tokens_and_reads_back_plain(client):
    walk(client, answers(
        arrival={"status-detained": "on", "status-detention_facility": FACILITY,
                 "status-prior_asylum_application": "on",
                 "status-prior_asylum_outcome": "denied",
                 "status-prior_asylum_filed_on": "2026-03-10",
                 "status-prior_asylum_details": DETAILS},
        family={"family-0-current_location": WHERE_NOW},
    ))  # fmt: skip
    assert client.post("/intake/step/review/", {"action": "submit"}).status_code == 302
    person = Case.objects.get().client
    relative = person.family.get()
    stored = {
        "facility": raw("cases_client", "detention_facility", person.pk),
        "details": raw("cases_client", "prior_asylum_details", person.pk),
        "where": raw("cases_familymember", "current_location", relative.pk),
    }
    for value in stored.values():
        assert value.startswith("gAAAAA")
    assert "Otay" not in stored["facility"] and "Сан-Франциско" not in stored["details"]
    assert "Москва" not in stored["where"]
    assert (person.detention_facility, person.prior_asylum_details) == (FACILITY, DETAILS)
    assert relative.current_location == WHERE_NOW


@pytest.mark.django_db
def test_the_case_page_still_shows_them_and_empty_stays_empty(attorney):  # noqa: F811
    case = CaseFactory(client=ClientFactory(detained=True, detention_facility=FACILITY))
    FamilyMemberFactory(client=case.client, current_location=WHERE_NOW)
    page = attorney.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert FACILITY in page and WHERE_NOW in page
    free = ClientFactory(detained=False, detention_facility="")
    assert raw("cases_client", "detention_facility", free.pk) == ""
    assert list(Client.objects.filter(pk=free.pk, detention_facility="")) == [free]


@pytest.mark.django_db
def test_the_facility_constraint_still_holds_with_encrypted_values():
    """A facility for someone not detained is refused by the database, token or not."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(detained=False, detention_facility=FACILITY)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_stored_before_it(reference_data):
    """Back to 0009 (plain columns), rows written as they were; forward again: tokens."""
    person = ClientFactory(detained=True, detention_facility=FACILITY,
                           prior_asylum_details=DETAILS)  # fmt: skip
    relative = FamilyMemberFactory(client=person, current_location=WHERE_NOW)
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0009_name_fold")])
    assert raw("cases_client", "detention_facility", person.pk) == FACILITY
    assert raw("cases_client", "prior_asylum_details", person.pk) == DETAILS
    assert raw("cases_familymember", "current_location", relative.pk) == WHERE_NOW

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert raw("cases_client", "detention_facility", person.pk).startswith("gAAAAA")
    assert raw("cases_client", "prior_asylum_details", person.pk).startswith("gAAAAA")
    assert raw("cases_familymember", "current_location", relative.pk).startswith("gAAAAA")
    person.refresh_from_db()
    assert (person.detention_facility, person.prior_asylum_details) == (FACILITY, DETAILS)
    assert FamilyMember.objects.get(pk=relative.pk).current_location == WHERE_NOW
