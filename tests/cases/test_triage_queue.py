"""The dashboard's triage queue: its sections, their order and counts, what is left out,
"within N days", stage order, the upcoming-deadlines panel, presets and saved filters."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Deadline, Document, SavedFilter
from cases.timezones import today

from ..conftest import browser_of
from ..factories import CaseFactory, member_of
from .test_exports import read_xlsx

pytestmark = pytest.mark.django_db


def due(days, **values):
    """A case whose next deadline is `days` from today (None: no deadline)."""
    when = None if days is None else today() + timedelta(days=days)
    return CaseFactory(next_deadline_date=when, next_deadline_kind="hearing" if when else "",
                       **values)  # fmt: skip


def sections(response) -> dict:
    return {s["key"]: s for s in response.context["queue"]}


def refs(cases) -> list[str]:
    return [case.reference for case in cases]


def listed(response) -> list[str]:
    return refs(response.context["page"])


def test_new_intakes_come_first_critical_then_nearest_deadline_then_newest(client, attorney):
    normal_soon = due(2, stage="new", priority="normal")
    critical_far = due(40, stage="new", priority="critical")
    critical_near = due(1, stage="new", priority="critical")
    critical_none_old = due(None, stage="new", priority="critical")
    critical_none_new = due(None, stage="new", priority="critical")
    high = due(None, stage="new", priority="high")
    queue = sections(client.get("/cases/"))
    assert refs(queue["new"]["cases"]) == refs([
        critical_near, critical_far, critical_none_new, critical_none_old, high, normal_soon,
    ])  # fmt: skip
    assert queue["new"]["count"] == 6


def test_every_other_open_case_is_in_one_section_by_its_next_deadline(client, attorney):
    week = [due(0, stage="triaged"), due(7, stage="retained", priority="critical"),
            due(3, stage="preparing")]  # fmt: skip
    month = [due(8, stage="triaged"), due(30, stage="filed")]
    overdue = [due(-333, stage="triaged"), due(-1, stage="retained", priority="critical")]
    due(31, stage="triaged")  # in no section: more than 30 days ahead
    due(None, stage="awaiting")
    new_and_overdue = due(-5, stage="new")  # reviewed first: in "New" only
    response = client.get("/cases/")
    queue = sections(response)
    assert refs(queue["week"]["cases"]) == refs([week[0], week[2], week[1]])  # by date
    assert refs(queue["month"]["cases"]) == refs(month)
    assert refs(queue["overdue"]["cases"]) == refs([overdue[1], overdue[0]])  # critical first
    assert refs(queue["new"]["cases"]) == [new_and_overdue.reference]
    assert [queue[k]["count"] for k in ("new", "week", "month", "overdue")] == [1, 3, 2, 2]
    page = response.content.decode()
    assert page.index('id="queue-new"') < page.index('id="queue-week"') < page.index(
        'id="queue-month"') < page.index('id="queue-overdue"') < page.index('id="cases"')
    # Each section's "see all" is the same cases as a list (and an export).
    for key, cases in (("week", week), ("month", month), ("overdue", overdue)):
        assert f'href="?queue={key}"' in page
        assert set(listed(client.get(f"/cases/?queue={key}"))) == set(refs(cases))


def test_a_section_shows_its_first_rows_and_links_to_all_of_them(client, attorney):
    for _ in range(17):
        due(None, stage="new")
    queue = sections(client.get("/cases/"))
    assert len(queue["new"]["cases"]) == 15 and queue["new"]["count"] == 17
    assert queue["new"]["more"]
    assert len(listed(client.get("/cases/?queue=new"))) == 17


def test_a_new_critical_intake_is_first_whatever_old_overdue_cases_there_are(client, attorney):
    for days in range(-300, -270):
        due(days, stage="triaged", priority="critical")
        due(days, stage="closed", priority="critical")
        due(days, stage="declined", priority="critical")
    brand_new = due(10, stage="new", priority="critical")
    response = client.get("/cases/")
    assert refs(sections(response)["new"]["cases"]) == [brand_new.reference]
    page = response.content.decode()
    assert page.index(brand_new.reference) < page.index('id="queue-overdue"')


def test_closed_declined_and_merged_cases_are_out_of_the_queue_and_the_default_list(
    client, attorney
):
    working = due(2, stage="triaged")
    closed = due(2, stage="closed")
    declined = due(-2, stage="declined")
    new_closed = due(None, stage="closed")
    survivor = due(None, stage="new")
    merged = due(None, stage="new", merged_into=survivor)
    response = client.get("/cases/")
    shown = {ref for s in response.context["queue"] for ref in refs(s["cases"])}
    assert shown == {working.reference, survivor.reference}
    assert set(listed(response)) == {working.reference, survivor.reference}
    assert response.context["total"] == 2
    # Unless asked for: by naming the stage, or with "Include closed, declined and merged".
    assert set(listed(client.get("/cases/?stage=closed"))) == {
        closed.reference, new_closed.reference}
    assert listed(client.get("/cases/?stage=declined")) == [declined.reference]
    everything = set(listed(client.get("/cases/?include_ended=on")))
    assert everything == {c.reference for c in Case.objects.all()}
    assert merged.reference in everything
    # The queue's search and export obey the same rule.
    assert set(listed(client.get("/cases/?q=Politov"))) == {working.reference,
                                                            survivor.reference}  # fmt: skip


def test_deadline_within_means_from_today_and_is_bounded(client, attorney):
    today_case, in_14, in_15, late = due(0), due(14), due(15), due(-333)
    assert set(listed(client.get("/cases/?deadline_within=14"))) == {
        today_case.reference, in_14.reference}
    assert listed(client.get("/cases/?deadline_within=0")) == [today_case.reference]
    assert late.reference not in listed(client.get("/cases/?deadline_within=3650"))
    assert in_15.reference in listed(client.get("/cases/?deadline_within=3650"))
    for bad in ("99999999", "3651", "-1", "2.5", "9" * 5000, "soon"):
        response = client.get(f"/cases/?deadline_within={bad}")
        assert response.status_code == 200
        assert "deadline_within" in response.context["ignored"], bad
        page = response.content.decode()
        assert 'id="ignored-deadline_within"' in page  # beside the field
        assert "Next deadline within (days)" in page.split('id="ignored-filters"')[1]
        assert len(listed(response)) == 4  # the other filters still apply: none here


@pytest.mark.parametrize(("param", "bad"), [
    ("q", "a" * 201), ("queue", "soon"), ("created_after", "2026-02-30"),
    ("created_before", "99999-01-01"),
])  # fmt: skip
def test_other_values_out_of_bounds_are_ignored_with_a_note(client, attorney, param, bad):
    due(None, stage="new")
    response = client.get(f"/cases/?{param}={bad}&stage=new")
    assert response.status_code == 200
    assert response.context["ignored"], param
    assert len(listed(response)) == 1  # stage=new still applies


@pytest.mark.parametrize("order", ["stage", "-stage"])
def test_stage_sorts_in_workflow_order(client, attorney, order):
    made = {stage: due(None, stage=stage) for stage in
            ["awaiting", "filed", "new", "consultation", "retained", "triaged", "preparing"]}
    workflow = ["new", "triaged", "consultation", "retained", "preparing", "filed", "awaiting"]
    expected = [made[stage].reference for stage in workflow]
    if order == "-stage":
        expected.reverse()
    assert listed(client.get(f"/cases/?o={order}")) == expected


def test_stage_sort_is_one_sql_order(attorney):
    from cases.filters import CaseFilter

    sql = str(CaseFilter({"o": "stage"}, queryset=Case.objects.all(), user=attorney).qs.query)
    assert "CASE WHEN" in sql and "ORDER BY" in sql


def test_the_upcoming_panel_lists_near_deadlines_and_counts_the_overdue_apart(client, attorney):
    for days in range(1, 16):  # fifteen overdue deadlines on the attorney's cases
        Deadline.objects.create(case=CaseFactory(assigned_attorney=attorney, stage="triaged"),
                                kind="biometrics", due_date=today() - timedelta(days=days))
    fresh = CaseFactory(assigned_attorney=attorney, stage="new")
    Deadline.objects.create(case=fresh, kind="hearing", due_date=today() + timedelta(days=3))
    far = CaseFactory(assigned_attorney=attorney)
    Deadline.objects.create(case=far, kind="hearing", due_date=today() + timedelta(days=31))
    ended = CaseFactory(assigned_attorney=attorney, stage="closed")
    Deadline.objects.create(case=ended, kind="hearing", due_date=today() + timedelta(days=2))
    someone = CaseFactory(assigned_attorney=member_of("other", "attorneys"))
    Deadline.objects.create(case=someone, kind="hearing", due_date=today() + timedelta(days=2))
    response = client.get("/cases/")
    assert [d.case_id for d in response.context["upcoming"]] == [fresh.pk]
    assert response.context["overdue_count"] == 15
    page = response.content.decode()
    assert "15 of your cases with an overdue deadline" in page
    assert 'href="?overdue=on&amp;attorney=mine"' in page
    assert len(listed(client.get("/cases/?overdue=on&attorney=mine"))) == 15
    # A filtered list keeps the link, without a count of its own.
    filtered = client.get("/cases/?stage=new")
    assert [d.case_id for d in filtered.context["upcoming"]] == [fresh.pk]
    assert 'id="overdue-link"' in filtered.content.decode()


def test_the_queue_adds_no_query_per_row(client, attorney):
    def make(n):
        for i in range(n):
            due([None, 3, 20, -10][i % 4], stage=["new", "triaged"][i % 2],
                priority=["critical", "high", "normal"][i % 3])

    make(5)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    make(25)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/cases/")
    assert sum(s["count"] for s in response.context["queue"]) == 30
    assert len(few) == len(more), [q["sql"][:60] for q in more]


def test_without_ordered_unions_each_part_is_read_alone_with_the_same_result(
    client, attorney, monkeypatch
):
    """SQLite (the demo) cannot order and limit inside a UNION: one query per part instead."""
    for days, stage in ((None, "new"), (3, "triaged"), (20, "retained"), (-4, "preparing")):
        due(days, stage=stage)
    with_union = {s["key"]: refs(s["cases"]) for s in client.get("/cases/").context["queue"]}
    monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)
    response = client.get("/cases/")
    assert {s["key"]: refs(s["cases"]) for s in response.context["queue"]} == with_union
    assert all(len(cases) == 1 for cases in with_union.values())
    assert len(listed(response)) == 4


# "My cases" and the presets.


def test_my_cases_are_those_i_am_the_attorney_or_the_paralegal_of(paralegal):
    attorney_case = CaseFactory(assigned_attorney=paralegal)
    paralegal_case = CaseFactory(assigned_paralegal=paralegal)
    CaseFactory(assigned_paralegal=member_of("other", "staff"))
    response = browser_of(paralegal).get("/cases/?attorney=mine")
    assert set(listed(response)) == {attorney_case.reference, paralegal_case.reference}


def test_the_presets_are_always_shown_and_work(client, attorney):
    critical = CaseFactory(assigned_attorney=attorney, priority="critical")
    CaseFactory(assigned_attorney=attorney, priority="high")
    waiting = CaseFactory(stage="retained")
    has_papers = CaseFactory(stage="preparing")
    Document.objects.create(client=has_papers.client, kind="passport", original_name="p.pdf",
                            content_type="application/pdf", size=10)  # fmt: skip
    CaseFactory(stage="new")
    page = client.get("/cases/").content.decode()
    presets = page[page.index('id="presets"'):page.index("</ul>", page.index('id="presets"'))]
    assert "My cases" in presets and "My critical" in presets and "Awaiting documents" in presets
    assert listed(client.get("/cases/?attorney=mine&priority=critical")) == [critical.reference]
    assert listed(client.get("/cases/?awaiting_documents=on")) == [waiting.reference]


# Committed data: the export reads its rows on a connection of its own, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # the groups, which the flush removes
def test_awaiting_documents_works_in_the_export_too(client, attorney):
    attorney.groups.add(*member_of("exporter", "staff").groups.all())
    waiting = CaseFactory(stage="retained")
    CaseFactory(stage="new")
    response = client.get("/cases/export/?format=xlsx&awaiting_documents=on")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))
    assert [row[0] for row in rows[1:]] == [waiting.reference]
    assert client.get("/cases/export/?format=xlsx&awaiting=on").status_code == 400  # strict


# Saved filters.


def save(browser, name, query):
    return browser.post(reverse("cases:saved_filter_add"), {"name": name, "query": query})


def test_a_saved_filter_is_mine_alone_and_keeps_no_page(client, attorney):
    response = save(client, "Detained Russians", "nationality=RU&detained=yes&page=3")
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=attorney)
    assert saved.query == "detained=yes&nationality=RU"
    page = client.get("/cases/").content.decode()
    assert 'href="?detained=yes&amp;nationality=RU">Detained Russians</a>' in page
    other = browser_of(member_of("colleague", "attorneys"))
    assert "Detained Russians" not in other.get("/cases/").content.decode()
    # Nobody deletes another's: it stays.
    assert other.post(reverse("cases:saved_filter_delete", args=[saved.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client.post(reverse("cases:saved_filter_delete", args=[saved.pk]), {"next": "stage=new"})
    assert not SavedFilter.objects.exists()
    assert "Detained Russians" not in client.get("/cases/").content.decode()


@pytest.mark.parametrize(("name", "query", "message"), [
    ("", "stage=new", "This field is required."),
    ("   ", "stage=new", "This field is required."),
    ("x" * 61, "stage=new", "at most 60 characters"),
    ("my critical", "stage=new", "is a built-in filter"),
    ("Mine", "stage=new", "You already have a filter named"),
    ("MINE", "stage=new", "You already have a filter named"),
    ("Everything", "page=2", "Choose some filters first"),
    ("Huge", "q=" + "a" * 1200, "too long to save"),
])  # fmt: skip
def test_a_bad_name_or_query_is_said_beside_the_name(client, attorney, name, query, message):
    SavedFilter.objects.create(user=attorney, name="Mine", query="attorney=mine")
    response = save(client, name, query)
    assert response.status_code == 200
    form = response.context["save_form"]
    assert message in " ".join(form.errors["name"])
    assert 'id="save-filter"' in response.content.decode()
    assert SavedFilter.objects.count() == 1


def test_another_users_filter_of_the_same_name_is_no_clash(client, attorney):
    SavedFilter.objects.create(user=member_of("colleague", "attorneys"), name="Mine",
                               query="attorney=mine")  # fmt: skip
    assert save(client, "Mine", "attorney=mine").status_code == 302
    assert SavedFilter.objects.filter(user=attorney).count() == 1


def test_the_created_range_has_a_label_for_each_input_and_filters(client, attorney):
    case = due(None)
    on, day = today().isoformat(), timedelta(days=1)
    assert listed(client.get(f"/cases/?created_after={on}&created_before={on}")) == [
        case.reference]
    assert listed(client.get(f"/cases/?created_before={(today() - day).isoformat()}")) == []
    assert listed(client.get(f"/cases/?created_after={(today() + day).isoformat()}")) == []
    page = client.get("/cases/").content.decode()
    assert 'name="created_after"' in page and 'name="created_before"' in page
    assert '<label class="form-label small mb-0" for="id_created_0">Created from</label>' in page
    assert '<label class="form-label small mb-0" for="id_created_1">Created to</label>' in page

