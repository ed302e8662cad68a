"""The case dashboard: filters kept in the URL, search across scripts, constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case

from ..factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def case_with(**client_values):
    return CaseFactory(client=ClientFactory(**client_values))


def references(response):
    return [case.reference for case in response.context["page"]]


def many_cases(n):
    for i in range(n):
        case = case_with(given_names=f"Person{i}", family_name="Example")
        case.next_deadline_date = timezone.localdate() + timedelta(days=i)
        case.next_deadline_kind = "hearing"
        case.save()


@pytest.mark.parametrize("filters", ["", "?stage=new&priority=normal&o=-deadline", "?q=person"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, attorney, filters):
    """5 cases on a page or 25 of 50: the same queries, and at most 9 of them (8 of the
    page's own, and django-otp's lookup of the session's verifying device: stock
    OTPMiddleware, no cache of our own in front of it)."""
    many_cases(5)
    client.get("/cases/" + filters)  # the chart is cached after the first view
    with CaptureQueriesContext(connection) as few:
        assert client.get("/cases/" + filters).status_code == 200
    many_cases(45)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/cases/" + filters)
    assert len(response.context["page"].object_list) == 25
    assert len(few) == len(more) <= 9, [q["sql"][:80] for q in more]


def test_a_latin_query_finds_the_cyrillic_name_and_back(client, attorney):
    cyrillic = case_with(given_names="X", family_name="Y", given_names_native="Дмитрий",
                         family_name_native="Политов")  # fmt: skip
    latin = case_with(given_names="Sergey", family_name="Smirnov", given_names_native="",
                      family_name_native="")  # fmt: skip
    case_with(given_names="Ana", family_name="Perez", given_names_native="",
              family_name_native="")  # fmt: skip
    assert references(client.get("/cases/?q=Dmitry Politov")) == [cyrillic.reference]
    assert references(client.get("/cases/?q=Смирнов")) == [latin.reference]


def test_search_by_reference_email_and_phone(client, attorney):
    case = case_with(email="unique.person@example.org", phone="+16195550177")
    case_with()
    assert references(client.get(f"/cases/?q={case.reference}")) == [case.reference]
    assert references(client.get("/cases/?q=unique.person@example.org")) == [case.reference]
    assert references(client.get("/cases/?q=(619) 555-0177")) == [case.reference]


def test_filters_combine_and_stay_in_the_url(client, attorney):
    detained_ru = case_with(nationality="RU", detained=True, detention_facility="Otay Mesa")
    case_with(nationality="RU")
    case_with(nationality="VE", detained=True, detention_facility="Adelanto")
    response = client.get("/cases/?nationality=RU&detained=yes")
    assert references(response) == [detained_ru.reference]
    assert "nationality=RU" in response.context["query"]


def test_mine_and_unassigned(client, attorney):
    mine = CaseFactory(assigned_attorney=attorney)
    unassigned = CaseFactory()
    assert references(client.get("/cases/?attorney=mine")) == [mine.reference]
    assert references(client.get("/cases/?attorney=unassigned")) == [unassigned.reference]


def test_deadline_within_and_overdue(client, attorney):
    """Within N days is today to today + N; an overdue deadline is not within, it is Overdue."""
    today = timezone.localdate()
    soon = CaseFactory(next_deadline_date=today + timedelta(days=5))
    late = CaseFactory(next_deadline_date=today - timedelta(days=2))
    CaseFactory(next_deadline_date=today + timedelta(days=90))
    assert set(references(client.get("/cases/?deadline_within=10"))) == {soon.reference}
    assert references(client.get("/cases/?overdue=on")) == [late.reference]


def test_sorting_by_a_column_and_back(client, attorney):
    a = case_with(family_name="Abramov")
    z = case_with(family_name="Zaitsev")
    assert references(client.get("/cases/?o=name")) == [a.reference, z.reference]
    assert references(client.get("/cases/?o=-name")) == [z.reference, a.reference]


def test_unknown_filter_values_are_ignored_with_a_note(client, attorney):
    CaseFactory()
    response = client.get("/cases/?stage=nonsense&deadline_within=soon&priority=high")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="ignored-filters"' in page and "stage" in page


def test_counts_per_stage_and_level_and_red_deadlines(client, attorney):
    CaseFactory(stage="new", priority="critical",
                next_deadline_date=timezone.localdate() + timedelta(days=3))  # fmt: skip
    CaseFactory(stage="new", priority="normal")
    CaseFactory(stage="filed", priority="normal")
    response = client.get("/cases/")
    stages = {value: count for value, _label, count in response.context["stage_counts"]}
    levels = {value: count for value, _label, count in response.context["level_counts"]}
    assert (stages["new"], stages["filed"]) == (2, 1)
    assert (levels["critical"], levels["normal"]) == (1, 2)
    assert response.context["total"] == 3
    assert "deadline-soon" in response.content.decode()


def test_the_chart_is_drawn_on_our_own_origin(client, attorney):
    CaseFactory(client=ClientFactory(nationality="UA"))
    page = client.get("/cases/").content.decode()
    assert "<svg" in page and "Ukraine" in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_pages_of_25(client, attorney):
    many_cases(30)
    first = client.get("/cases/")
    second = client.get("/cases/?page=2")
    assert len(references(first)) == 25 and len(references(second)) == 5
    assert Case.objects.count() == 30


def test_new_cases_show_even_when_the_counts_are_a_minute_old(client, attorney):
    """The whole-caseload counts are cached; the pages still list every case."""
    many_cases(3)
    client.get("/cases/")
    many_cases(30)
    first = client.get("/cases/")
    assert len(references(first)) == 25
    assert first.context["page"].has_next()  # Django's Page: a method
    assert len(references(client.get("/cases/?page=2"))) == 8


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("", 1), ("2.5", 1), ("0", 1), ("-3", 1), ("2", 2), ("99999999", 2),
     ("9" * 5000, 1)],
)
def test_any_page_number_shows_a_page(client, attorney, asked, shown):
    """Not a number or below 1: the first page; past the end: the last one; never a 500."""
    many_cases(30)
    response = client.get(f"/cases/?page={asked}")
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert f"Page {shown} of 2" in response.content.decode()
    assert len(references(response)) == (25 if shown == 1 else 5)


def test_the_page_links_keep_the_filters(client, attorney):
    many_cases(30)
    first = client.get("/cases/?stage=new").content.decode()
    assert 'href="?stage=new&page=2"' in first and "Previous" not in first
    second = client.get("/cases/?stage=new&page=2").content.decode()
    assert 'href="?stage=new&page=1"' in second and ">Next<" not in second


def test_the_attorney_filter_shows_the_attorney_chosen_and_offers_every_attorney(client, attorney):
    """The attorney selects are written by a widget of their own (cases.filters.LongSelect):
    the choice made stays shown after Apply, names are text, and the bulk form lists the
    same attorneys."""
    from ..factories import member_of

    other = member_of("zed", "attorneys")
    other.first_name, other.last_name = "Zoë", "O'Hara<b>"
    other.save()
    page = client.get(f"/cases/?attorney={other.pk}").content.decode()
    assert f'<option value="{other.pk}" selected>Zoë O&#x27;Hara&lt;b&gt;</option>' in page
    assert page.count(f'<option value="{other.pk}"') == 2  # the filter and the bulk form
    assert '<option value="mine">Mine</option>' in page
    assert f'<option value="{attorney.pk}">' in page
