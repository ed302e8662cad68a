"""seed_demo: the demo a newcomer opens first looks like a firm on an ordinary day, whichever
day it is run, and every seeded case is what the app's own rules would have made of it."""

import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cases.models import Case, Deadline
from cases.services import cases_retriage, deadlines_sync_computed
from cases.timezones import today
from cases.triage import assess, facts_of, one_year_exempt

from ..conftest import verified_login

pytestmark = pytest.mark.django_db

CASES = 200
ENDED = {"closed": "Case closed.", "declined": "Case declined."}
# The day the tests run, and one years away from it: the demo follows the clock it is given.
DAYS = {"today": None, "a summer day years on": datetime(2031, 7, 3, 12, 0)}


@pytest.fixture(params=list(DAYS))
def day(request, time_machine):
    moment = DAYS[request.param]
    if moment is not None:
        time_machine.move_to(moment.replace(tzinfo=ZoneInfo("America/Los_Angeles")),
                             tick=False)  # fmt: skip
    return today()


@pytest.fixture
def seeded(day):
    call_command("seed_demo", cases=CASES, seed=14, stdout=io.StringIO())
    return day


def all_cases():
    return (
        Case.objects.select_related("client__claim", "client__hearing_court")
        .prefetch_related("client__entries", "deadlines__court")
        .order_by("pk")
    )


def test_most_open_deadlines_are_ahead_and_only_a_handful_overdue(seeded):
    due = list(Deadline.objects.filter(status="open").values_list("due_date", flat=True))
    overdue = [d for d in due if d < seeded]
    assert 0 < len(overdue) < 0.1 * len(due)
    assert len(due) - len(overdue) > 0.9 * len(due)


def test_one_year_deadlines_come_from_arrivals_within_the_year_mostly(seeded):
    """Of the unfiled cases still worked on, most arrived 1-11 months ago: their one-year
    deadline is one to eleven months ahead; a few are close to it or past it."""
    open_one_year = Deadline.objects.filter(kind="one_year", status="open")
    days_left = [(d - seeded).days for d in open_one_year.values_list("due_date", flat=True)]
    ahead = [d for d in days_left if 30 <= d <= 340]
    assert len(ahead) > 0.7 * len(days_left)
    assert sum(1 for d in days_left if d < 0) < 0.1 * len(days_left)


def test_the_stages_spread_like_a_working_caseload(seeded):
    stages = Counter(Case.objects.values_list("stage", flat=True))
    assert set(stages) == {value for value, _label in Case._meta.get_field("stage").choices}
    assert stages["new"] + stages["triaged"] > 0.4 * CASES
    assert stages["filed"] + stages["awaiting"] > 0.05 * CASES
    assert stages["closed"] + stages["declined"] < 0.2 * CASES
    assert stages["new"] > stages["preparing"]


def test_detained_clients_and_critical_cases_are_a_minority(seeded):
    detained = Case.objects.filter(client__detained=True).count()
    assert 0 < detained <= 0.1 * CASES
    levels = Counter(Case.objects.values_list("priority", flat=True))
    assert 0.05 * CASES <= levels["critical"] <= 0.15 * CASES
    assert levels["normal"] > levels["critical"] and levels["high"] > levels["critical"]


def test_an_ended_case_has_no_open_deadline_and_its_deadlines_say_why(seeded):
    ended = Case.objects.filter(stage__in=ENDED)
    assert ended.exists()
    assert not Deadline.objects.filter(case__in=ended, status="open").exists()
    assert not ended.exclude(next_deadline_date=None).exists()
    for case in ended.prefetch_related("deadlines"):
        for deadline in case.deadlines.all():
            if deadline.status == "not_applicable":
                assert deadline.note.endswith(ENDED[case.stage]), (case, deadline.note)


def test_a_filed_case_has_its_filing_date_a_met_one_year_deadline_and_ead_dates(seeded):
    filed = [c for c in all_cases() if c.stage in {"filed", "awaiting"}]
    assert filed
    for case in filed:
        filed_on = case.client.claim.filed_on
        assert filed_on is not None and filed_on <= seeded
        statuses = {d.kind: d.status for d in case.deadlines.all() if d.computed}
        if one_year_exempt(facts_of(case), seeded):
            assert "one_year" not in statuses
        else:
            assert statuses["one_year"] == "met"
        assert {"ead_filing", "ead_grant"} <= set(statuses)


def test_the_stored_triage_is_what_assess_says_now(seeded):
    for case in all_cases():
        assessment = assess(case)
        assert (case.priority, case.assessed_priority, case.priority_reasons) == (
            assessment.level, assessment.level, assessment.reasons,
        ), case  # fmt: skip
    assert cases_retriage(today=seeded) == 0  # the daily run finds nothing to change


def test_the_next_deadline_is_what_the_deadlines_refresh_gives(seeded):
    stored = list(all_cases().values_list("pk", "next_deadline_date", "next_deadline_kind"))
    for pk, _date, _kind in stored:
        Case.next_deadline_refresh(pk)
    assert list(all_cases().values_list("pk", "next_deadline_date", "next_deadline_kind")) == (
        stored
    )


def test_the_computed_deadlines_are_what_the_services_keep(seeded):
    """Syncing every case's computed deadlines with their inputs changes nothing."""

    def snapshot():
        return list(Deadline.objects.order_by("pk").values_list("case", "kind", "due_date",
                                                                 "status", "note"))  # fmt: skip

    before = snapshot()
    for case in Case.objects.all():
        deadlines_sync_computed(case=case)
    assert snapshot() == before


def test_the_dashboards_first_page_is_not_dominated_by_overdue_cases(seeded, client):
    verified_login(client, User.objects.get(username="attorney"))
    page = client.get("/cases/").context["page"]
    assert len(page) == 25
    overdue = [case for case in page if case.days_left is not None and case.days_left < 0]
    assert len(overdue) < len(page) / 2
    assert sum(1 for case in page if case.days_left is not None and case.days_left >= 0) > 10


def test_if_empty_adds_nothing_to_a_seeded_caseload(seeded):
    out = io.StringIO()
    call_command("seed_demo", cases=30, if_empty=True, stdout=out)
    assert Case.objects.count() == CASES
    assert "none added" in out.getvalue()


# At scale (issue 18): COPY on PostgreSQL, a few hundred cases per attorney, ANALYZE.


def test_demo_attorneys_hold_about_the_same_share_of_a_few_hundred_cases_each(day):
    """1,500 cases: three named demo attorneys ("attorney" first), each holding about the
    same share of the assigned cases, with every one of those cases' deadlines carrying
    them."""
    call_command("seed_demo", cases=1500, seed=3, stdout=io.StringIO())
    attorneys = User.objects.filter(groups__name="attorneys").order_by("pk")
    assert [a.username for a in attorneys] == ["attorney", "attorney2", "attorney3"]
    assert all(a.last_name for a in attorneys[1:])
    held = Counter(Case.objects.exclude(assigned_attorney=None)
                   .values_list("assigned_attorney__username", flat=True))  # fmt: skip
    assert set(held) == {a.username for a in attorneys}
    assert max(held.values()) <= 1.15 * min(held.values())
    assert 150 <= min(held.values()) <= 400
    rows = Deadline.objects.values_list("attorney_id", "case__assigned_attorney_id")
    assert all(mine == theirs for mine, theirs in rows)
    assert not Case.objects.filter(stage__in=["new", "triaged"]).exclude(
        assigned_attorney=None
    ).exists()


def test_seeding_again_adds_more_cases_and_attorneys_as_the_caseload_grows(day):
    call_command("seed_demo", cases=600, seed=1, stdout=io.StringIO())
    call_command("seed_demo", cases=600, seed=2, stdout=io.StringIO())
    assert Case.objects.count() == 1200
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == 1200 and all(references)
    assert User.objects.filter(groups__name="attorneys").count() == 2  # 1,200 // 500
    assert User.objects.filter(username="attorney").count() == 1


def test_copied_rows_are_what_saving_them_one_by_one_would_store(seeded):
    """Encrypted answers stored as Fernet tokens and read back as written; the name keys,
    folds and a relative's 21st birthday as save() derives them."""
    from django.db import connection

    from cases.models import AsylumClaim, Client, FamilyMember

    claim = AsylumClaim.objects.exclude(feared_harm="").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT feared_harm FROM cases_asylumclaim WHERE id = %s", [claim.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA") and claim.feared_harm not in stored
    assert claim.feared_harm in {
        "Если я вернусь, меня мобилизуют и отправят на войну, или посадят за отказ.",
        "Я боюся переслідування та ув'язнення, якщо повернуся.",
        "Temo que me detengan o me maten si regreso.",
        "I fear I will be detained and tortured if I return.",
    }
    for client in Client.objects.all()[:50]:
        kept = (client.name_key_latin, client.name_key_native, client.name_fold)
        client.set_name_keys()
        assert kept == (client.name_key_latin, client.name_key_native, client.name_fold)
    members = list(FamilyMember.objects.all()[:50])
    assert members
    for member in members:
        kept = (member.name_fold, member.qualifies_as_child, member.turns_21_on)
        member.set_derived()
        assert kept == (member.name_fold, member.qualifies_as_child, member.turns_21_on)
    assert Case.objects.filter(created_at__isnull=True).count() == 0


def test_the_seed_gathers_statistics_unless_asked_not_to(day):
    """ANALYZE at the end: the planner's row count of the case table is the caseload."""
    from django.db import connection

    def planned_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'cases_case'")
            return cursor.fetchone()[0]

    call_command("seed_demo", cases=120, seed=5, analyze=False, stdout=io.StringIO())
    assert planned_rows() != 120
    call_command("seed_demo", cases=80, seed=6, stdout=io.StringIO())
    assert planned_rows() == 200


def test_the_seed_leaves_the_name_indexes_with_nothing_pending(day):
    """A bulk load's rows wait in each GIN index's pending list, which a name search reads
    whole; the seed merges them in (as VACUUM would), unless asked not to."""
    from django.db import connection

    def pending():
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")  # the contrib module
            cursor.execute("SELECT pending_tuples FROM "
                           "pgstatginindex('cases_client_name_key_latin_trgm')")  # fmt: skip
            return cursor.fetchone()[0]

    call_command("seed_demo", cases=60, seed=5, analyze=False, stdout=io.StringIO())
    assert pending() > 0
    call_command("seed_demo", cases=40, seed=6, stdout=io.StringIO())
    assert pending() == 0


def test_references_past_a_million_keep_every_digit(day):
    """Case 1,000,000 is AI-2026-1000000, as Case.reference_for makes it, not a clash with
    case 100,000 (LPAD cuts a longer string to the width asked)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('cases_case', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value FROM {sequence}")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, 999998)", [sequence])
    try:
        call_command("seed_demo", cases=3, seed=7, stdout=io.StringIO())
        cases = list(Case.objects.order_by("pk"))
        assert [c.pk for c in cases] == [999999, 1000000, 1000001]
        assert [c.reference for c in cases] == [Case.reference_for(c.pk, day.year) for c in cases]
        assert cases[1].reference.endswith("-1000000")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s)", [sequence, max(before, 1)])
