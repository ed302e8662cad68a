"""Two submits of one draft at the same moment, on PostgreSQL: one case."""

import threading

import pytest
from django.db import connection

from cases.models import Case
from intake.models import IntakeDraft
from intake.services import intake_submit

from ..intake_data import answers, walk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_simultaneous_submits_make_one_case(client):
    walk(client, answers())
    draft = IntakeDraft.objects.get()
    barrier = threading.Barrier(4)
    references, errors = [], []

    def submit():
        try:
            barrier.wait()
            references.append(intake_submit(draft_id=draft.pk).reference)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Case.objects.count() == 1
    assert set(references) == {Case.objects.get().reference}
