"""The dashboard's counts of the whole caseload come from the tally PostgreSQL keeps
(cases.tally): always the same as counting the cases, after every kind of write, at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from cases import merging, services
from cases.models import Case, CaseTally, Stage
from cases.selectors import open_cases, stage_and_level_counts
from cases.tally import tally_compact
from cases.timezones import today

from ..factories import CaseFactory, opened_intake

pytestmark = pytest.mark.django_db


def counted(user):
    """As a filtered list counts: one GROUP BY over the cases themselves."""
    return stage_and_level_counts(open_cases(), sections=True, user=user)


def tallied(user):
    return stage_and_level_counts(open_cases(), whole_caseload=True, sections=True, user=user)


def agree(user):
    got = tallied(user)
    assert got == counted(user)
    return got


def caseload(attorney):
    """Cases in every section, some the attorney's, one merged, one closed."""
    on = today()
    made = []
    for i, (stage, priority, days) in enumerate([
        (Stage.NEW, "critical", 3), (Stage.NEW, "normal", None), (Stage.TRIAGED, "high", 2),
        (Stage.CONSULTATION, "normal", 20), (Stage.RETAINED, "normal", -4),
        (Stage.PREPARING, "critical", -1), (Stage.FILED, "high", 90), (Stage.CLOSED, "normal", 5),
    ]):  # fmt: skip
        made.append(CaseFactory(
            stage=stage, priority=priority, assigned_attorney=attorney if i % 2 else None,
            next_deadline_date=None if days is None else on + timedelta(days=days),
        ))  # fmt: skip
    return made


def test_counts_agree_after_every_kind_of_write(attorney):
    cases = caseload(attorney)
    stages, levels, total, sections = agree(attorney)
    assert total == 7 and stages[Stage.CLOSED] == 0
    assert sections["overdue_any"] == 2 and sections["overdue_mine"] == 1

    # Through the services: an intake, a stage move, an override, a merge.
    opened_intake("critical", 1)
    agree(attorney)
    moved = Case.objects.get(pk=cases[2].pk)
    services.case_move_stage(case=moved, to_stage=Stage.CONSULTATION, by=attorney,
                             version=moved.version)  # fmt: skip
    agree(attorney)
    keep, merge = Case.objects.get(pk=cases[3].pk), Case.objects.get(pk=cases[4].pk)
    merging.case_merge(keep=keep, merge=merge, by=attorney, keep_version=keep.version,
                       merge_version=merge.version)  # fmt: skip
    after_merge = agree(attorney)
    assert after_merge[2] == 7  # one more intake, one merged away

    # Bulk writes that no model method sees, and a delete.
    Case.objects.filter(stage=Stage.NEW).update(priority="high")
    Case.objects.filter(pk=cases[6].pk).update(next_deadline_date=today() - timedelta(days=9))
    agree(attorney)
    Case.objects.filter(assigned_attorney=None, stage=Stage.CLOSED).update(
        assigned_attorney=attorney
    )
    Case.objects.filter(pk=cases[7].pk).update(stage=Stage.FILED)  # reopened by hand
    agree(attorney)
    Case.objects.filter(pk=cases[1].pk).delete()
    stages, levels, total, sections = agree(attorney)
    assert total == 7 and sections["overdue_any"] == 2  # retained: merged; filed: late

    # Summed into one row per key, with the same counts.
    rows = CaseTally.objects.count()
    keys = CaseTally.objects.values("stage", "priority", "next_deadline_date", "merged")
    distinct = keys.distinct().count()
    assert rows > distinct
    # Keys whose cases all left are dropped.
    assert tally_compact() == CaseTally.objects.count() < distinct
    assert agree(attorney) == (stages, levels, total, sections)
    tally_compact()
    assert agree(attorney) == (stages, levels, total, sections)


def test_a_user_with_no_cases_and_an_empty_firm(attorney):
    assert tallied(attorney)[2] == 0
    CaseFactory(stage=Stage.RETAINED, next_deadline_date=today() - timedelta(days=1))
    assert agree(attorney)[3]["overdue_mine"] == 0
    assert agree(None)[3]["overdue_any"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # the groups, which the flush removes
def test_a_compaction_beside_a_write_not_yet_committed_loses_nothing(lawyer):
    CaseFactory.create_batch(3, stage=Stage.TRIAGED)
    written, compacted = threading.Event(), threading.Event()

    def intake_in_progress():
        try:
            with transaction.atomic():
                CaseFactory(stage=Stage.NEW, priority="critical")
                written.set()
                compacted.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=intake_in_progress)
    writer.start()
    assert written.wait(10)
    tally_compact()  # does not see the other transaction's tally row, so leaves it
    compacted.set()
    writer.join(10)
    stages, _levels, total, sections = agree(lawyer)
    assert total == 4 and sections["new"] == 1


def test_the_page_counts_a_new_intake_at_once_sorted_or_not(client, attorney):
    caseload(attorney)
    first = client.get("/cases/").context["total"]
    opened_intake("critical", 2)
    assert client.get("/cases/").context["total"] == first + 1
    sorted_page = client.get("/cases/?o=deadline").context
    assert sorted_page["total"] == first + 1
    assert dict((s, n) for s, _label, n in sorted_page["stage_counts"])[Stage.NEW] == 3


def test_the_beat_compacts_the_tally_every_ten_minutes(settings):
    from config.celery_app import app

    app.loader.import_default_modules()  # the tasks modules, as a worker finds them
    entry = settings.CELERY_BEAT_SCHEDULE["compact-tally"]
    assert entry["schedule"].minute == set(range(0, 60, 10))
    CaseFactory.create_batch(3, stage=Stage.TRIAGED, priority="high")
    assert CaseTally.objects.count() == 3
    assert app.tasks[entry["task"]].apply().get() == 1 == CaseTally.objects.count()


@pytest.mark.parametrize("query", ["", "?o=deadline", "?page=2", "?overdue=&include_ended="])
def test_the_unfiltered_page_counts_from_the_tally_sorted_or_paged(client, attorney, query):
    """Not by counting every open case (a second at a million): a tally row planted by hand
    shows in the page's total. With a filter the cases themselves are counted."""
    caseload(attorney)
    CaseTally.objects.create(stage=Stage.FILED, priority="normal", merged=False, n=1000)
    assert client.get("/cases/" + query).context["total"] == 1007
    assert client.get("/cases/?stage=filed").context["total"] == 1
