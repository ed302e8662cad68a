"""Deadlines on the case page: the computed ones follow their inputs, the entered ones are the
attorney's, bad input is refused with a message, and the "upcoming deadlines" page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from cases.deadlines import computed_deadlines
from cases.models import AsylumClaim, Court, Deadline
from cases.services import deadlines_sync_computed

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # a Wednesday
ARRIVAL = date(2026, 3, 2)  # the entry factory's date, a Monday
ONE_YEAR_DUE = date(2027, 3, 2)  # a Tuesday, no holiday
FILED = date(2026, 6, 1)
NEXT_15_JANUARY = date(2027, 1, 15)
A_CHILDS_BIRTH = date(2011, 3, 1)  # 15 on TODAY  # winter: Pacific Standard Time


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Midday in the firm's zone, so "today" is TODAY for the forms and the pages."""
    time_machine.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
                         tick=False)  # fmt: skip


@pytest.fixture
def san_diego():
    return Court.objects.get(name__startswith="San Diego")


@pytest.fixture
def case(lawyer):
    """A case the lawyer works on: one arrival, a claim not filed yet."""
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=ARRIVAL)
    AsylumClaimFactory(client=case.client)
    return case


def url(name: str, case, *more) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *more])


def version_of(case) -> int:
    """The version the case page shows (and its forms carry) right now."""
    case.refresh_from_db()
    return case.version


def computed(case) -> dict[str, tuple[date, str]]:
    return {d.kind: (d.due_date, d.status) for d in case.deadlines.filter(computed=True)}


def record_filing(browser, case, filed_on, stopped_days=0, filing_type="affirmative"):
    return browser.post(url("filing", case), {
        "filed_on": filed_on.isoformat() if filed_on else "",
        "filing_type": filing_type if filed_on else "",
        "ead_clock_stopped_days": stopped_days,
        "version": version_of(case),
    })  # fmt: skip


def correct_arrival(browser, case, entry, day):
    return browser.post(url("arrival", case), {
        "entry": entry.pk, "date": day.isoformat(), "version": version_of(case),
    })  # fmt: skip


def deadline_fields(**fields) -> dict:
    base = {"kind": "other", "due_date": "", "due_time": "", "court": "", "hearing_type": "",
            "status": "open", "note": ""}  # fmt: skip
    base.update(fields)
    return base


def add_deadline(browser, case, **fields):
    return browser.post(url("deadline_add", case), deadline_fields(**fields))


def row(deadline) -> dict:
    """All a user can see of a deadline, to check it did not change."""
    deadline.refresh_from_db()
    return {f.attname: getattr(deadline, f.attname) for f in Deadline._meta.concrete_fields}


def deadlines_section(page: str) -> str:
    start = page.index('id="deadlines"')
    return page[start : page.index("</ul>", start)]


# computed_deadlines: values in, values out.


@pytest.mark.parametrize(
    ("inputs", "expected", "why"),
    [
        ({"last_arrival": None, "unaccompanied_minor": False, "filed_on": None}, {},
         "no arrival: no one-year deadline"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": True, "filed_on": None}, {},
         "an unaccompanied minor has no one-year deadline"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": False, "filed_on": None},
         {"one_year": (ONE_YEAR_DUE, None)}, "arrived, not filed: open"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": False, "filed_on": FILED},
         {"one_year": (ONE_YEAR_DUE, "met"), "ead_filing": (date(2026, 10, 29), None),
          "ead_grant": (date(2026, 11, 28), None)},
         "filed before the due date: met; EAD at 150 and 180 days"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": False, "filed_on": ONE_YEAR_DUE},
         {"one_year": (ONE_YEAR_DUE, "met"), "ead_filing": (date(2027, 7, 30), None),
          "ead_grant": (date(2027, 8, 29), None)}, "filed on the due date: met"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": False,
          "filed_on": date(2027, 3, 3)},
         {"one_year": (ONE_YEAR_DUE, "missed"), "ead_filing": (date(2027, 7, 31), None),
          "ead_grant": (date(2027, 8, 30), None)}, "filed a day late: missed"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": True, "filed_on": FILED},
         {"ead_filing": (date(2026, 10, 29), None), "ead_grant": (date(2026, 11, 28), None)},
         "a minor who filed: EAD dates only"),
        ({"last_arrival": None, "unaccompanied_minor": False, "filed_on": FILED},
         {"ead_filing": (date(2026, 10, 29), None), "ead_grant": (date(2026, 11, 28), None)},
         "no arrival recorded but filed: EAD dates only"),
        ({"last_arrival": ARRIVAL, "unaccompanied_minor": False, "filed_on": FILED,
          "stopped_days": 10},
         {"one_year": (ONE_YEAR_DUE, "met"), "ead_filing": (date(2026, 11, 8), None),
          "ead_grant": (date(2026, 12, 8), None)},
         "10 stopped days push both EAD dates 10 days later, not the one-year deadline"),
    ],
)  # fmt: skip
def test_computed_deadlines(inputs, expected, why):
    assert computed_deadlines(**inputs) == expected, why


def test_computed_ead_dates_follow_the_settings(settings):
    """A rule change to the waiting periods is a settings change, stopped days still added."""
    settings.EAD_FILING_DAYS = 365
    settings.EAD_GRANT_DAYS = 395
    result = computed_deadlines(last_arrival=None, unaccompanied_minor=False,
                                filed_on=date(2026, 1, 1), stopped_days=10)  # fmt: skip
    assert result == {
        "ead_filing": (date(2027, 1, 11), None),
        "ead_grant": (date(2027, 2, 10), None),
    }


# Computed deadlines follow their inputs.


def test_a_new_arrival_gives_the_case_its_one_year_deadline(case):
    """As soon as the case knows the arrival it shows the one-year deadline, open, computed."""
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}
    page = browser_of(case.assigned_attorney).get(url("detail", case)).content.decode()
    listed = deadlines_section(page)
    assert "One-year filing deadline" in listed
    assert "Tue 2027-03-02" in listed
    assert "Open · computed" in listed


def test_correcting_the_arrival_moves_the_one_year_deadline(lawyer, case):
    """The arrival was really Friday 6 March: a year later is a Saturday, due Monday 8 March."""
    entry = case.client.entries.get()
    browser = browser_of(lawyer)
    response = correct_arrival(browser, case, entry, date(2026, 3, 6))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.date == date(2026, 3, 6)
    assert computed(case) == {"one_year": (date(2027, 3, 8), "open")}
    page = browser.get(url("detail", case)).content.decode()
    assert "Arrival corrected; the one-year deadline follows it." in page
    assert "Mon 2027-03-08" in deadlines_section(page)
    assert "2027-03-02" not in deadlines_section(page)


def test_the_filing_date_and_the_ead_clock_drive_the_computed_deadlines(lawyer, case):
    """Filing closes the one-year deadline as met and starts the EAD clock; stopped days move
    the EAD dates; removing the filing date takes them away and reopens the one-year deadline."""
    browser = browser_of(lawyer)

    response = record_filing(browser, case, FILED)
    assert response.status_code == 302
    claim = AsylumClaim.objects.get(client=case.client)
    assert (claim.filed_on, claim.filing_type) == (FILED, "affirmative")
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (FILED + timedelta(days=150), "open"),
        "ead_grant": (FILED + timedelta(days=180), "open"),
    }
    page = browser.get(url("detail", case)).content.decode()
    assert "Filing recorded; computed deadlines updated." in page
    assert "EAD filing date" in deadlines_section(page)
    assert "EAD earliest grant" in deadlines_section(page)

    response = record_filing(browser, case, FILED, stopped_days=20)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.ead_clock_stopped_days == 20
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (FILED + timedelta(days=170), "open"),
        "ead_grant": (FILED + timedelta(days=200), "open"),
    }

    response = record_filing(browser, case, None, stopped_days=20)
    assert response.status_code == 302
    assert AsylumClaim.objects.get(client=case.client).filed_on is None
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_a_filing_date_after_the_one_year_deadline_marks_it_missed(lawyer):
    """Arrived 6 January 2025, due 6 January 2026, filed 2 February 2026: missed."""
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=date(2025, 1, 6))
    AsylumClaimFactory(client=case.client)
    assert computed(case) == {"one_year": (date(2026, 1, 6), "open")}

    response = record_filing(browser_of(lawyer), case, date(2026, 2, 2), filing_type="defensive")
    assert response.status_code == 302
    assert computed(case) == {
        "one_year": (date(2026, 1, 6), "missed"),
        "ead_filing": (date(2026, 2, 2) + timedelta(days=150), "open"),
        "ead_grant": (date(2026, 2, 2) + timedelta(days=180), "open"),
    }
    page = browser_of(lawyer).get(url("detail", case)).content.decode()
    assert "Missed · computed" in deadlines_section(page)


def test_a_first_filing_date_on_a_case_without_a_claim_row(lawyer):
    """A case whose client has no claim row yet: recording the filing makes one."""
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=ARRIVAL)

    response = record_filing(browser_of(lawyer), case, FILED)
    assert response.status_code == 302
    assert AsylumClaim.objects.get(client=case.client).filed_on == FILED
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (FILED + timedelta(days=150), "open"),
        "ead_grant": (FILED + timedelta(days=180), "open"),
    }


def test_an_unaccompanied_minor_has_no_one_year_deadline(case):
    """Recording a child as come alone (a data fix, through the service that keeps the
    deadlines in step) removes it."""
    client = case.client
    client.date_of_birth = A_CHILDS_BIRTH
    client.parent_or_guardian_in_us = False
    client.save()
    deadlines_sync_computed(case=case)
    assert computed(case) == {}
    client.parent_or_guardian_in_us = True
    client.save()
    deadlines_sync_computed(case=case)
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_an_adult_who_came_as_a_child_alone_keeps_the_one_year_deadline(case):
    """The exemption is for an unaccompanied child: an adult without parents here is bound."""
    case.client.parent_or_guardian_in_us = False
    case.client.save()
    deadlines_sync_computed(case=case)
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_a_filing_date_saved_elsewhere_updates_the_case(case):
    """The claim saved outside the case page (a data fix, then the service that keeps the
    deadlines in step; the admin only reads client records) still moves the deadlines."""
    claim = case.client.claim
    claim.filed_on = FILED
    claim.save()
    deadlines_sync_computed(case=case)
    assert computed(case) == {
        "one_year": (ONE_YEAR_DUE, "met"),
        "ead_filing": (FILED + timedelta(days=150), "open"),
        "ead_grant": (FILED + timedelta(days=180), "open"),
    }


def test_the_last_arrival_counts_and_deleting_all_arrivals_removes_the_deadline(case):
    """A later re-entry restarts the one-year clock; with no arrival left there is none."""
    later = EntryFactory(client=case.client, date=date(2026, 5, 4))
    assert computed(case) == {"one_year": (date(2027, 5, 4), "open")}
    later.delete()
    deadlines_sync_computed(case=case)
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}
    case.client.entries.get().delete()
    deadlines_sync_computed(case=case)
    assert computed(case) == {}


def test_an_entered_deadline_never_follows_the_computed_ones(lawyer, case):
    """Biometrics the attorney entered stay as entered through every change of the inputs."""
    browser = browser_of(lawyer)
    response = add_deadline(browser, case, kind="biometrics", due_date="2026-07-01",
                            note="ASC appointment")  # fmt: skip
    assert response.status_code == 302
    biometrics = Deadline.objects.get(case=case, kind="biometrics")
    before = row(biometrics)
    assert before["entered_by_id"] == lawyer.pk
    assert before["computed"] is False

    entry = case.client.entries.get()
    assert correct_arrival(browser, case, entry, date(2026, 3, 6)).status_code == 302
    assert record_filing(browser, case, FILED).status_code == 302
    assert record_filing(browser, case, FILED, stopped_days=20).status_code == 302
    assert record_filing(browser, case, None).status_code == 302
    assert record_filing(browser, case, date(2026, 6, 9)).status_code == 302
    case.client.date_of_birth = A_CHILDS_BIRTH  # under 18 on the filing date
    case.client.parent_or_guardian_in_us = False
    case.client.save()
    deadlines_sync_computed(case=case)

    assert row(biometrics) == before
    assert set(computed(case)) == {"ead_filing", "ead_grant"}


# Entered deadlines on the case page.


def test_an_attorney_adds_a_hearing_shown_in_the_courts_time(lawyer, case, san_diego, settings):
    """08:30 at the San Diego court reads "08:30 Pacific (PST)", for an attorney in Miami too."""
    response = add_deadline(lawyer_browser := browser_of(lawyer), case, kind="hearing",
                            due_date=NEXT_15_JANUARY.isoformat(), due_time="08:30",
                            court=san_diego.pk, hearing_type="master")  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#deadlines-heading"
    hearing = Deadline.objects.get(case=case, kind="hearing")
    assert hearing.computed is False
    assert hearing.entered_by == lawyer
    assert hearing.court == san_diego
    assert hearing.time_zone == "America/Los_Angeles"
    assert hearing.hearing_type == "master"
    assert (hearing.due_date, f"{hearing.due_time:%H:%M}") == (NEXT_15_JANUARY, "08:30")

    page = lawyer_browser.get(url("detail", case)).content.decode()
    listed = deadlines_section(page)
    assert "Deadline saved." in page
    assert "Hearing</strong> (master calendar hearing)" in listed
    assert '<span class="due-time">08:30 Pacific (PST)</span>' in listed
    assert "San Diego Immigration Court" in listed
    assert "Open · entered by lawyer" in listed

    settings.TIME_ZONE = "America/New_York"
    in_miami = member_of("miami", "attorneys")
    page = browser_of(in_miami).get(url("detail", case)).content.decode()
    listed = deadlines_section(page)
    assert '<span class="due-time">08:30 Pacific (PST)</span>' in listed
    assert "Eastern" not in listed
    assert "Open · entered by lawyer" in listed


def test_editing_or_closing_a_deadline_changes_only_that_deadline(lawyer, case, san_diego):
    """Another attorney marks the biometrics met: the hearing and the one-year deadline stay,
    and the biometrics still say who entered them."""
    browser = browser_of(lawyer)
    add_deadline(browser, case, kind="hearing", due_date=NEXT_15_JANUARY.isoformat(),
                 due_time="08:30", court=san_diego.pk, hearing_type="master")  # fmt: skip
    add_deadline(browser, case, kind="biometrics", due_date="2026-07-01")
    hearing = Deadline.objects.get(case=case, kind="hearing")
    biometrics = Deadline.objects.get(case=case, kind="biometrics")
    one_year = Deadline.objects.get(case=case, kind="one_year")
    untouched = [row(hearing), row(one_year)]
    before = row(biometrics)

    colleague = member_of("colleague", "attorneys")
    fields = deadline_fields(kind="biometrics", due_date="2026-07-01", status="met",
                             note="Done at the ASC.")  # fmt: skip
    response = browser_of(colleague).post(
        url("deadline_edit", case, biometrics.pk),
        {f"d{biometrics.pk}-{name}": value for name, value in fields.items()},
    )
    assert response.status_code == 302
    after = row(biometrics)
    assert after == {**before, "status": "met", "note": "Done at the ASC."}
    assert after["entered_by_id"] == lawyer.pk
    assert [row(hearing), row(one_year)] == untouched
    page = browser.get(url("detail", case)).content.decode()
    assert "Met · entered by lawyer · Done at the ASC." in deadlines_section(page)


def test_the_edit_form_on_the_page_posts_back_what_it_shows(lawyer, case, san_diego):
    """The page's edit form for a hearing carries its own values under the d<pk>- prefix."""
    browser = browser_of(lawyer)
    add_deadline(browser, case, kind="hearing", due_date=NEXT_15_JANUARY.isoformat(),
                 due_time="08:30", court=san_diego.pk, hearing_type="master")  # fmt: skip
    hearing = Deadline.objects.get(case=case, kind="hearing")
    page = browser.get(url("detail", case)).content.decode()
    assert f'action="{url("deadline_edit", case, hearing.pk)}"' in page
    assert f'name="d{hearing.pk}-due_date" value="2027-01-15"' in page
    assert f'name="d{hearing.pk}-due_time" value="08:30"' in page
    # Only entered deadlines get an edit form.
    one_year = Deadline.objects.get(case=case, kind="one_year")
    assert url("deadline_edit", case, one_year.pk) not in page


def assert_edit_finds_nothing(lawyer, case, deadline, **fields):
    """Posting an edit of `deadline` through `case` is a 404 and leaves it as it was."""
    before = row(deadline)
    posted = deadline_fields(**fields)
    response = browser_of(lawyer).post(
        url("deadline_edit", case, deadline.pk),
        {f"d{deadline.pk}-{name}": value for name, value in posted.items()},
    )
    assert response.status_code == 404
    assert row(deadline) == before


def test_a_computed_deadline_cannot_be_edited_by_hand(lawyer, case):
    """Posting an edit of the one-year deadline finds nothing to edit: 404, it stays."""
    one_year = Deadline.objects.get(case=case, kind="one_year")
    assert_edit_finds_nothing(lawyer, case, one_year, kind="court_filing",
                              due_date="2027-06-01", status="met")  # fmt: skip


def test_a_deadline_of_another_case_cannot_be_edited_through_this_one(lawyer, case):
    other = CaseFactory()
    elsewhere = Deadline.objects.create(case=other, kind="biometrics", due_date=date(2026, 7, 1))
    assert_edit_finds_nothing(lawyer, case, elsewhere, kind="biometrics",
                              due_date="2026-07-01", status="met")  # fmt: skip


# Bad input: a message on the page, nothing saved, never a 500.


def test_a_due_date_before_the_arrival_is_refused(lawyer, case):
    response = add_deadline(browser_of(lawyer), case, kind="biometrics", due_date="2026-02-27")
    assert response.status_code == 400
    errors = response.context["deadline_form"].errors
    assert errors["due_date"] == [
        "This is before the client's arrival (2026-03-02). Please check the date."
    ]
    assert "before the client&#x27;s arrival (2026-03-02)" in response.content.decode()
    assert not case.deadlines.filter(computed=False).exists()


def test_a_hearing_needs_its_court(lawyer, case):
    response = add_deadline(browser_of(lawyer), case, kind="hearing",
                            due_date=NEXT_15_JANUARY.isoformat(), due_time="08:30")  # fmt: skip
    assert response.status_code == 400
    errors = response.context["deadline_form"].errors
    assert errors["court"] == ["A hearing needs its court (for the place and time zone)."]
    assert "A hearing needs its court" in response.content.decode()
    assert not case.deadlines.filter(kind="hearing").exists()


def test_an_ead_deadline_needs_the_filing_date_first(lawyer, case):
    response = add_deadline(browser_of(lawyer), case, kind="ead_filing", due_date="2026-12-01")
    assert response.status_code == 400
    (message,) = response.context["deadline_form"].errors["kind"]
    assert message.startswith("Record the asylum filing date first")
    assert "Record the asylum filing date first" in response.content.decode()
    assert not case.deadlines.filter(kind="ead_filing").exists()


def test_an_ead_deadline_is_never_entered_by_hand_even_after_filing(lawyer, case):
    """Once filed, the EAD dates are computed: entering one is refused, the computed one stays."""
    browser = browser_of(lawyer)
    record_filing(browser, case, FILED)
    response = add_deadline(browser, case, kind="ead_grant", due_date="2026-12-01")
    assert response.status_code == 400
    (message,) = response.context["deadline_form"].errors["kind"]
    assert message.startswith("EAD dates are computed from the filing date")
    assert list(case.deadlines.filter(kind="ead_grant").values_list("computed", "due_date")) == [
        (True, FILED + timedelta(days=180))
    ]


def test_a_filing_date_in_the_future_is_refused(lawyer, case):
    version = version_of(case)
    response = record_filing(browser_of(lawyer), case, TODAY + timedelta(days=1))
    assert response.status_code == 400
    assert response.context["filing_form"].errors["filed_on"] == [
        "The filing date cannot be in the future."
    ]
    assert "The filing date cannot be in the future." in response.content.decode()
    assert AsylumClaim.objects.get(client=case.client).filed_on is None
    assert version_of(case) == version
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


def test_a_filing_date_of_today_is_accepted(lawyer, case):
    assert record_filing(browser_of(lawyer), case, TODAY).status_code == 302
    assert computed(case)["one_year"] == (ONE_YEAR_DUE, "met")


def test_an_arrival_in_the_future_is_refused(lawyer, case):
    entry = case.client.entries.get()
    response = correct_arrival(browser_of(lawyer), case, entry, TODAY + timedelta(days=1))
    assert response.status_code == 400
    assert response.context["arrival_form"].errors["date"] == [
        "An arrival cannot be in the future."
    ]
    assert "An arrival cannot be in the future." in response.content.decode()
    entry.refresh_from_db()
    assert entry.date == ARRIVAL
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deadline_add", {"kind": "hearing", "due_date": "15/01/2027", "due_time": "8h30",
                          "court": "999999", "status": "open"}),
        ("deadline_add", {"kind": "one_year", "due_date": "2027-01-15", "status": "open"}),
        ("deadline_add", {"kind": "nonsense", "status": "nonsense", "hearing_type": "x"}),
        ("deadline_add", {}),
        ("filing", {"filed_on": "yesterday", "ead_clock_stopped_days": "-1", "version": "1"}),
        ("filing", {"filed_on": "2026-06-01", "ead_clock_stopped_days": "9999999999",
                    "filing_type": "sideways", "version": "x"}),
        ("filing", {}),
        ("arrival", {"entry": "999999", "date": "2026-03-06", "version": "1"}),
        ("arrival", {"entry": "abc", "date": "06.03.2026"}),
        ("arrival", {}),
    ],
)  # fmt: skip
def test_garbled_input_gets_a_400_page_never_a_500(lawyer, case, name, data):
    before = {d.pk: row(d) for d in case.deadlines.all()}
    version = version_of(case)
    response = browser_of(lawyer).post(url(name, case), data)
    assert response.status_code == 400
    assert {d.pk: row(d) for d in case.deadlines.all()} == before
    assert version_of(case) == version
    assert case.client.entries.get().date == ARRIVAL


def test_a_stale_version_changes_nothing(lawyer, case):
    """Another tab saved first: the filing is not recorded, the user is told why."""
    browser = browser_of(lawyer)
    old = version_of(case)
    record_filing(browser, case, FILED)
    response = browser.post(url("filing", case), {
        "filed_on": "2026-05-01", "filing_type": "affirmative", "ead_clock_stopped_days": 0,
        "version": old,
    }, follow=True)  # fmt: skip
    assert response.status_code == 200
    assert "This case changed since you opened it" in response.content.decode()
    assert AsylumClaim.objects.get(client=case.client).filed_on == FILED


# The "upcoming deadlines" page.


def my_deadlines_listed(case) -> dict[str, Deadline]:
    """Open deadlines of `case` the page lists, in its order: overdue, today, in 10 and in
    30 days (the last day it reaches)."""
    return {
        "overdue": Deadline.objects.create(case=case, kind="court_filing",
                                           due_date=TODAY - timedelta(days=3)),
        "today": Deadline.objects.create(case=case, kind="interview", due_date=TODAY),
        "soon": Deadline.objects.create(case=case, kind="biometrics",
                                        due_date=TODAY + timedelta(days=10)),
        "day 30": Deadline.objects.create(case=case, kind="evidence_request",
                                          due_date=TODAY + timedelta(days=30)),
    }  # fmt: skip


def my_deadlines_not_listed(case) -> list[Deadline]:
    """Deadlines of `case` the page leaves out: 31 days ahead, met, not applicable."""
    return [
        Deadline.objects.create(case=case, kind="other", due_date=TODAY + timedelta(days=31)),
        Deadline.objects.create(case=case, kind="hearing", due_date=TODAY + timedelta(days=5),
                                status="met"),
        Deadline.objects.create(case=case, kind="other", due_date=TODAY - timedelta(days=20),
                                status="not_applicable"),
    ]  # fmt: skip


def test_the_upcoming_deadlines_page_lists_my_open_deadlines_overdue_first(lawyer, case):
    """Only my cases' open deadlines, overdue first, up to 30 days ahead; ?all=1 shows all."""
    mine = my_deadlines_listed(case)
    not_listed = my_deadlines_not_listed(case)
    someone_else = member_of("someone", "attorneys")
    theirs = CaseFactory(assigned_attorney=someone_else)
    their_deadline = Deadline.objects.create(
        case=theirs, kind="hearing", due_date=TODAY + timedelta(days=5)
    )
    unassigned = Deadline.objects.create(
        case=CaseFactory(), kind="biometrics", due_date=TODAY + timedelta(days=1)
    )

    browser = browser_of(lawyer)
    response = browser.get(reverse("cases:deadlines"))
    assert response.status_code == 200
    listed = [d.pk for d in response.context["deadlines"]]
    assert listed == [d.pk for d in mine.values()]
    page = response.content.decode()
    assert "Your upcoming deadlines" in page
    table = page[page.index('id="upcoming-deadlines"') : page.index("</table>")]
    assert table.count("<tr class=") == len(mine)
    assert table.count("Overdue") == 1
    assert table.index("Wed 2026-06-10") > table.index("Overdue")  # overdue first
    assert theirs.reference not in table
    for deadline in not_listed:
        assert f"{deadline.due_date:%Y-%m-%d}" not in table

    response = browser.get(reverse("cases:deadlines"), {"all": "1"})
    assert response.status_code == 200
    listed = [d.pk for d in response.context["deadlines"]]
    assert set(listed) == {d.pk for d in mine.values()} | {their_deadline.pk, unassigned.pk}
    assert [d.due_date for d in response.context["deadlines"]] == sorted(
        d.due_date for d in response.context["deadlines"]
    )
    page = response.content.decode()
    assert "All open deadlines" in page
    assert theirs.reference in page


def test_an_attorney_with_no_cases_sees_no_deadlines(case):
    response = browser_of(member_of("newcomer", "attorneys")).get(reverse("cases:deadlines"))
    assert response.status_code == 200
    assert list(response.context["deadlines"]) == []
    assert "No open deadlines in the next 30 days." in response.content.decode()


def test_the_upcoming_deadlines_page_needs_sign_in(case):
    response = Client().get(reverse("cases:deadlines"))
    assert response.status_code == 302
    assert "login" in response["Location"]


# Roles (cases/roles.py): staff have the deadline permissions but not intake.change_entry.


def test_staff_cannot_correct_an_arrival(paralegal, case):
    entry = case.client.entries.get()
    browser = browser_of(paralegal)
    response = correct_arrival(browser, case, entry, date(2026, 3, 6))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.date == ARRIVAL
    assert computed(case) == {"one_year": (ONE_YEAR_DUE, "open")}
    page = browser.get(url("detail", case)).content.decode()
    assert "Correct an arrival date" not in page
    assert "Add a deadline" in page


def test_staff_can_add_and_close_a_deadline(paralegal, case, san_diego):
    browser = browser_of(paralegal)
    response = add_deadline(
        browser,
        case,
        kind="hearing",
        due_date=NEXT_15_JANUARY.isoformat(),
        due_time="08:30",
        court=san_diego.pk,
        hearing_type="individual",
    )
    assert response.status_code == 302
    hearing = Deadline.objects.get(case=case, kind="hearing")
    assert hearing.entered_by == paralegal
    assert hearing.time_zone == "America/Los_Angeles"
    fields = deadline_fields(kind="hearing", due_date=NEXT_15_JANUARY.isoformat(),
                             due_time="08:30", court=san_diego.pk, hearing_type="individual",
                             status="not_applicable")  # fmt: skip
    response = browser.post(url("deadline_edit", case, hearing.pk),
                            {f"d{hearing.pk}-{k}": v for k, v in fields.items()})  # fmt: skip
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == "not_applicable"
    page = browser.get(url("detail", case)).content.decode()
    assert "No longer applies · entered by paralegal" in deadlines_section(page)


def test_administrators_cannot_add_deadlines(case):
    """Administrators only view deadlines (no change_deadline): 403, nothing saved."""
    boss = member_of("boss", "administrators")
    response = add_deadline(browser_of(boss), case, kind="biometrics", due_date="2026-07-01")
    assert response.status_code == 403
    assert not case.deadlines.filter(computed=False).exists()
