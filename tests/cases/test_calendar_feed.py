"""An attorney's private calendar link: made on the deadlines page, shown once, read by a
calendar app without signing in, with case references only and never a client's name."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.models import CalendarFeed, Court, Deadline

from ..conftest import browser_of
from ..factories import CaseFactory, ClientFactory, EntryFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)
NEXT_15_JANUARY = date(2027, 1, 15)
NAMES = ["Politov", "Dmitry", "Политов", "Дмитрий"]
OTHER_NAMES = ["Ivanova", "Olga", "Иванова", "Ольга"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
                         tick=False)  # fmt: skip


@pytest.fixture
def world(lawyer):
    """The lawyer's case (arrived, so with its one-year deadline), with an entered hearing, an
    all-day biometrics appointment and a met deadline; another attorney's case too."""
    case = CaseFactory(assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=date(2026, 3, 2))
    court = Court.objects.get(name__startswith="San Diego")
    hearing = Deadline.objects.create(
        case=case, kind="hearing", due_date=NEXT_15_JANUARY, due_time=time(8, 30), court=court,
        time_zone=court.time_zone, hearing_type="master", entered_by=lawyer,
    )  # fmt: skip
    biometrics = Deadline.objects.create(
        case=case, kind="biometrics", due_date=TODAY + timedelta(days=21), entered_by=lawyer
    )
    met = Deadline.objects.create(case=case, kind="interview", due_date=TODAY + timedelta(days=3),
                                  status="met")  # fmt: skip
    one_year = Deadline.objects.get(case=case, kind="one_year")

    other_client = ClientFactory(
        family_name="Ivanova",
        given_names="Olga",
        family_name_native="Иванова",
        given_names_native="Ольга",
    )
    theirs = CaseFactory(client=other_client, assigned_attorney=member_of("someone", "attorneys"))
    their_hearing = Deadline.objects.create(
        case=theirs, kind="hearing", due_date=TODAY + timedelta(days=2)
    )
    return {"case": case, "hearing": hearing, "biometrics": biometrics, "met": met,
            "one_year": one_year, "theirs": theirs, "their_hearing": their_hearing}  # fmt: skip


def make_link(browser: Client) -> str:
    """Press "Make my calendar link" and copy the URL the next page shows."""
    response = browser.post(reverse("cases:calendar_link"), {"action": "create"}, follow=True)
    assert response.redirect_chain == [(reverse("cases:deadlines"), 302)]
    match = re.search(r'<input id="feed-url"[^>]* value="([^"]+)"', response.content.decode())
    assert match, "the page shows the new link"
    return match.group(1)


def fetch(feed_url: str):
    """A calendar app reading the feed: no cookies, no sign-in."""
    return Client().get(feed_url)


def events_of(response) -> list:
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_link_is_shown_once(lawyer):
    browser = browser_of(lawyer)
    page = browser.get(reverse("cases:deadlines")).content.decode()
    assert 'id="feed-url"' not in page
    assert "Make my calendar link" in page

    feed_url = make_link(browser)
    assert feed_url.startswith("http://testserver/cases/calendar/")
    assert feed_url.endswith(".ics")
    assert CalendarFeed.objects.filter(user=lawyer).count() == 1
    # Only the hash is kept, never the token itself.
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=lawyer).token_hash != token

    page = browser.get(reverse("cases:deadlines")).content.decode()
    assert 'id="feed-url"' not in page
    assert token not in page
    assert "Make a new link" in page
    assert "Revoke my link" in page


def test_the_feed_lists_my_open_deadlines_without_client_names(lawyer, world):
    feed_url = make_link(browser_of(lawyer))
    response = fetch(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"

    events = events_of(response)
    reference = world["case"].reference
    expected = {
        world["one_year"].pk: f"{reference}: One-year filing deadline",
        world["hearing"].pk: f"{reference}: Hearing",
        world["biometrics"].pk: f"{reference}: Biometrics",
    }
    assert {str(e["UID"]): str(e["SUMMARY"]) for e in events} == {
        f"deadline-{pk}@asylum-intake": summary for pk, summary in expected.items()
    }
    assert len(events) == len(expected)

    body = response.content.decode()
    unfolded = re.sub(r"\r\n[ \t]", "", body)
    for name in NAMES + OTHER_NAMES:
        assert name not in body
        assert name not in unfolded
    assert world["theirs"].reference not in body


def test_a_hearing_is_at_the_courts_time_and_other_deadlines_are_all_day(lawyer, world):
    events = {str(e["UID"]): e for e in events_of(fetch(make_link(browser_of(lawyer))))}

    hearing = events[f"deadline-{world['hearing'].pk}@asylum-intake"]
    start = hearing.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert (start.date(), start.time()) == (NEXT_15_JANUARY, time(8, 30))
    assert start.tzinfo is not None
    assert getattr(start.tzinfo, "key", str(start.tzinfo)) == "America/Los_Angeles"
    assert start == datetime(2027, 1, 15, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert hearing.decoded("DTEND") - start == timedelta(hours=1)
    assert str(hearing["URL"]) == f"http://testserver/cases/{world['case'].pk}/"

    biometrics = events[f"deadline-{world['biometrics'].pk}@asylum-intake"]
    start = biometrics.decoded("DTSTART")
    assert type(start) is date
    assert start == TODAY + timedelta(days=21)
    assert biometrics.decoded("DTEND") == start + timedelta(days=1)


def test_the_feed_follows_the_deadlines(lawyer, world):
    """A deadline closed after the link was made drops out of the feed at the next read."""
    feed_url = make_link(browser_of(lawyer))
    world["biometrics"].status = "met"
    world["biometrics"].save()
    uids = {str(e["UID"]) for e in events_of(fetch(feed_url))}
    assert f"deadline-{world['biometrics'].pk}@asylum-intake" not in uids
    assert f"deadline-{world['hearing'].pk}@asylum-intake" in uids


def test_a_revoked_link_stops_working(lawyer, world):
    browser = browser_of(lawyer)
    feed_url = make_link(browser)
    assert fetch(feed_url).status_code == 200

    response = browser.post(reverse("cases:calendar_link"), {"action": "revoke"}, follow=True)
    assert response.status_code == 200
    assert "Your calendar link no longer works." in response.content.decode()
    assert "Make my calendar link" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=lawyer).exists()
    assert fetch(feed_url).status_code == 404


def test_a_new_link_replaces_the_old_one(lawyer, world):
    browser = browser_of(lawyer)
    first = make_link(browser)
    second = make_link(browser)
    assert first != second
    assert fetch(first).status_code == 404
    response = fetch(second)
    assert response.status_code == 200
    assert len(events_of(response)) == 3
    assert CalendarFeed.objects.filter(user=lawyer).count() == 1


def test_each_attorney_gets_their_own_feed(lawyer, world):
    mine = make_link(browser_of(lawyer))
    theirs = make_link(browser_of(world["theirs"].assigned_attorney))
    assert mine != theirs
    their_events = events_of(fetch(theirs))
    assert [str(e["SUMMARY"]) for e in their_events] == [f"{world['theirs'].reference}: Hearing"]
    assert len(events_of(fetch(mine))) == 3


@pytest.mark.parametrize("token", ["made-up", "x" * 43, "", "%00"])
def test_a_made_up_token_is_not_found(lawyer, world, token):
    make_link(browser_of(lawyer))
    assert Client().get(f"/cases/calendar/{token}.ics").status_code == 404


def test_an_inactive_users_feed_is_not_found(lawyer, world):
    """An attorney who left the firm: their link stops working though it was never revoked."""
    feed_url = make_link(browser_of(lawyer))
    lawyer.is_active = False
    lawyer.save()
    assert fetch(feed_url).status_code == 404


def test_making_a_link_needs_sign_in_and_a_post():
    link = reverse("cases:calendar_link")
    response = Client().post(link, {"action": "create"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not CalendarFeed.objects.exists()
    assert browser_of(member_of("lawyer", "attorneys")).get(link).status_code == 405


@pytest.mark.parametrize(
    ("due_date", "due_time"),
    [(date(9999, 12, 31), None), (date(9999, 12, 31), time(23, 30)), (date(1, 1, 1), time(0, 5)),
     (date(1, 1, 1), None)],
)  # fmt: skip
def test_a_stored_extreme_date_does_not_break_the_feed(lawyer, world, due_date, due_time):
    """Issue 16 item 7: a hearing on 9999-12-31 (typed by a client before dates were bounded,
    or put there by hand) made the feed a 500; the rest of the calendar must still arrive."""
    court = Court.objects.get(name__startswith="San Diego")
    odd = Deadline.objects.create(case=world["case"], kind="hearing", due_date=due_date,
                                  due_time=due_time, court=court,
                                  time_zone=court.time_zone)  # fmt: skip
    response = fetch(make_link(browser_of(lawyer)))
    assert response.status_code == 200
    events = {str(e["UID"]): e for e in events_of(response)}
    assert f"deadline-{world['hearing'].pk}@asylum-intake" in events
    shown = events[f"deadline-{odd.pk}@asylum-intake"]
    start = shown.decoded("DTSTART")
    assert (start.date() if isinstance(start, datetime) else start) == due_date


def test_the_link_is_built_from_site_url_not_the_requests_host(lawyer, settings):
    """A Host header of the attacker's choosing must not end up in the link copied into a
    calendar app."""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.SITE_URL = "https://intake.firm.example"
    browser = browser_of(lawyer)
    response = browser.post(reverse("cases:calendar_link"), {"action": "create"}, follow=True,
                            HTTP_HOST="127.0.0.1:6666")  # fmt: skip
    match = re.search(r'<input id="feed-url"[^>]* value="([^"]+)"', response.content.decode())
    assert match.group(1).startswith("https://intake.firm.example/cases/calendar/")
