"""A paralegal beside the attorney: an attorney assigns both; a paralegal takes a free case or
lets their own go and nothing else; "my" deadlines and calendar feed are the cases a user works
as attorney or paralegal."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.models import CaseAccess, Deadline
from cases.views.common import STALE

from ..conftest import browser_of
from ..factories import CaseFactory, ClientFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)
NOT_ALLOWED = "You are not allowed to make that change."


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
                         tick=False)  # fmt: skip


@pytest.fixture
def case():
    return CaseFactory()


def url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def version_of(case) -> int:
    case.refresh_from_db()
    return case.version


def assign(browser, case, **people):
    data = {"attorney": "", "paralegal": "", "version": version_of(case)}
    data.update({name: user.pk if user else "" for name, user in people.items()})
    return browser.post(url("assign", case), data, follow=True)


def take(browser, case, action="take", version=None):
    return browser.post(url("paralegal_self", case),
                        {"action": action, "version": version or version_of(case)},
                        follow=True)  # fmt: skip


def assign_rows(case):
    return [row.detail for row in CaseAccess.objects.filter(case=case, action="assign")
            .order_by("at", "pk")]  # fmt: skip


def test_an_attorney_assigns_a_paralegal_beside_the_attorney(lawyer, paralegal, case):
    browser = browser_of(lawyer)
    page = browser.get(url("detail", case)).content.decode()
    team = page[page.index('id="team-form"'):page.index("</form>", page.index('id="team-form"'))]
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>',
                         team[team.index('name="paralegal"'):])  # fmt: skip
    assert options == [("", "No paralegal"), (str(paralegal.pk), "paralegal")]

    response = assign(browser, case, attorney=lawyer, paralegal=paralegal)
    assert messages_of(response) == ["Attorney and paralegal assigned."]
    assert 'id="paralegal">paralegal<' in response.content.decode()
    case.refresh_from_db()
    assert (case.assigned_attorney, case.assigned_paralegal) == (lawyer, paralegal)

    response = assign(browser, case, attorney=lawyer)  # the paralegal taken off
    assert messages_of(response) == ["Paralegal assigned."]
    assert 'id="paralegal">none<' in response.content.decode()
    assert assign_rows(case) == [
        {"attorney": ["", "lawyer"], "paralegal": ["", "paralegal"]},
        {"paralegal": ["paralegal", ""]},
    ]


@pytest.mark.parametrize("who", ["attorney", "inactive", "outsider"])
def test_only_an_active_paralegal_can_be_the_paralegal(lawyer, case, who):
    person = {
        "attorney": lambda: member_of("counsel", "attorneys"),
        "inactive": lambda: _inactive(member_of("gone", "staff")),
        "outsider": lambda: member_of("boss", "administrators"),
    }[who]()
    response = assign(browser_of(lawyer), case, paralegal=person)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_paralegal is None
    assert (case.version, assign_rows(case)) == (1, [])


def _inactive(user):
    user.is_active = False
    user.save()
    return user


def test_a_paralegal_cannot_assign_an_attorney_and_is_not_shown_the_form(paralegal, lawyer,
                                                                        case):  # fmt: skip
    browser = browser_of(paralegal)
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="team-form"' not in page
    assert "Take this case as its paralegal" in page
    response = browser.post(url("assign", case), {"attorney": lawyer.pk, "paralegal": paralegal.pk,
                                                  "version": 1})  # fmt: skip
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.assigned_attorney, case.assigned_paralegal, case.version) == (None, None, 1)
    assert assign_rows(case) == []


def test_a_paralegal_takes_a_free_case_and_lets_it_go(paralegal, case):
    browser = browser_of(paralegal)
    response = take(browser, case)
    assert messages_of(response) == ["You are the case's paralegal."]
    page = response.content.decode()
    assert 'id="paralegal">paralegal<' in page
    assert "Let this case go" in page
    response = take(browser, case, "release")
    assert messages_of(response) == ["You are no longer the case's paralegal."]
    case.refresh_from_db()
    assert case.assigned_paralegal is None
    assert assign_rows(case) == [{"paralegal": ["", "paralegal"]}, {"paralegal": ["paralegal", ""]}]


def test_a_paralegal_cannot_take_or_clear_a_colleagues_case(paralegal, case):
    colleague = member_of("colleague", "staff")
    case.assigned_paralegal = colleague
    case.save()
    browser = browser_of(paralegal)
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="paralegal-self"' not in page  # neither button
    for action in ("take", "release"):
        response = take(browser, case, action)
        assert messages_of(response) == [NOT_ALLOWED]
    case.refresh_from_db()
    assert (case.assigned_paralegal, case.version) == (colleague, 1)
    assert assign_rows(case) == []


def test_taking_a_case_from_a_stale_page_is_refused(paralegal, lawyer, case):
    stale = version_of(case)
    assign(browser_of(lawyer), case, paralegal=member_of("colleague", "staff"))
    response = take(browser_of(paralegal), case, version=stale)
    assert [m[: len(STALE)] for m in messages_of(response)] == [STALE]
    case.refresh_from_db()
    assert case.assigned_paralegal.username == "colleague"


def test_an_administrator_cannot_become_a_cases_paralegal(case):
    """Administrators may change cases but do not work them as paralegals."""
    boss = member_of("boss", "administrators")
    response = take(browser_of(boss), case)
    assert messages_of(response) == [NOT_ALLOWED]
    case.refresh_from_db()
    assert (case.assigned_paralegal, case.version) == (None, 1)


def test_someone_in_no_role_gets_403_and_nothing_changes(case):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", "nobody@firm.example", "x" * 16)
    browser = browser_of(nobody)
    for name, data in (("paralegal_self", {"action": "take"}),
                       ("assign", {"attorney": "", "paralegal": nobody.pk}),
                       ("contact", {"city": "Tijuana"})):  # fmt: skip
        assert browser.post(url(name, case), {**data, "version": 1}).status_code == 403
    case.refresh_from_db()
    assert (case.assigned_paralegal, case.version) == (None, 1)
    assert not CaseAccess.objects.filter(case=case).exclude(action="view").exists()


@pytest.fixture
def worked(paralegal, lawyer):
    """The paralegal's case (another attorney's), the lawyer's case without a paralegal, and
    a case nobody here works; each with a deadline in a week."""
    other = member_of("counsel", "attorneys")
    theirs = CaseFactory(assigned_attorney=other, assigned_paralegal=paralegal)
    lawyers = CaseFactory(assigned_attorney=lawyer)
    nobodys = CaseFactory(client=ClientFactory(family_name="Ivanova", given_names="Olga"))
    deadlines = {
        key: Deadline.objects.create(case=c, kind="biometrics", due_date=TODAY + timedelta(7))
        for key, c in (("paralegal", theirs), ("lawyer", lawyers), ("nobody", nobodys))
    }
    return {"paralegal": theirs, "lawyer": lawyers, "nobody": nobodys, "deadlines": deadlines}


def listed(page: str) -> set[str]:
    table = page[page.index('id="upcoming-deadlines"'):page.index("</table>")]
    return set(re.findall(r">(AI-\d{4}-\d{6})<", table))


def test_the_deadlines_page_lists_the_cases_a_user_works(paralegal, lawyer, worked):
    refs = {key: worked[key].reference for key in ("paralegal", "lawyer", "nobody")}
    mine = browser_of(paralegal).get(reverse("cases:deadlines")).content.decode()
    assert listed(mine) == {refs["paralegal"]}
    assert listed(browser_of(lawyer).get(reverse("cases:deadlines")).content.decode()) == {
        refs["lawyer"]}
    everyone = browser_of(paralegal).get(reverse("cases:deadlines") + "?all=1").content.decode()
    assert listed(everyone) == set(refs.values())


def test_a_paralegals_calendar_feed_has_their_cases_deadlines(paralegal, worked):
    browser = browser_of(paralegal)
    response = browser.post(reverse("cases:calendar_link"), {"action": "create"}, follow=True)
    feed_url = re.search(r'id="feed-url"[^>]* value="([^"]+)"', response.content.decode())[1]
    feed = Client().get(feed_url)
    assert feed.status_code == 200
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [f"{worked['paralegal'].reference}: Biometrics"]
    assert "Politov" not in feed.content.decode()
