"""The case page: stages, assignment, triage level, notes, translation, family, conflicts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccess, Note, StageChange
from cases.services import case_triage
from cases.timezones import today

from ..conftest import browser_of
from ..factories import (
    AsylumClaimFactory,
    CaseFactory,
    ClientFactory,
    EntryFactory,
    FamilyMemberFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

STALE = "This case changed since you opened it"
NOT_ALLOWED = "You are not allowed to make that change."
CANNOT_FOLLOW = "That stage cannot follow the case's current stage."
WORDS = "Меня мобилизуют и отправят на войну."
# What a decline needs besides the stage (tests/cases/test_decline.py).
DECLINE = {"reason": "Outside the firm's practice: referred to a legal aid clinic.",
           "confirm_decline": "on"}
ENGLISH = "They will mobilise me and send me to the war."


@pytest.fixture
def case():
    case = CaseFactory()
    EntryFactory(client=case.client)
    AsylumClaimFactory(client=case.client, feared_harm=WORDS)
    return case


def url(name: str, case, *more) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *more])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def page_version(browser: Client, case) -> int:
    """The version the case page's forms carry, as a browser tab would send it."""
    page = browser.get(url("detail", case)).content.decode()
    versions = set(re.findall(r'name="version" value="(\d+)"', page))
    assert len(versions) == 1, versions
    return int(versions.pop())


def move(browser: Client, case, to_stage: str, version: int | None = None, **filing):
    """Post the stage form from a freshly read page (or with a given version); follow it.
    `filing`: the filing date and type the form asks with a move to "filed"."""
    if version is None:
        case.refresh_from_db()
        version = case.version
    return browser.post(url("stage", case), {"to_stage": to_stage, "version": version,
                                             **filing}, follow=True)  # fmt: skip


def section(page: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the end of its section or table."""
    start = page.index(f'id="{element_id}"')
    ends = [page.find(tag, start) for tag in ("</section>", "</table>")]
    return page[start : min(e for e in ends if e != -1)]


def test_an_attorney_moves_a_case_through_every_stage(lawyer, case):
    """new → triaged → … → closed, each move recorded with who did it, from and to; the
    move to "filed" with its filing date and type."""
    browser = browser_of(lawyer)
    path = ["new", "triaged", "consultation", "retained", "preparing", "filed", "awaiting",
            "closed"]  # fmt: skip
    filing = {"filed_on": today().isoformat(), "filing_type": "affirmative"}
    for to_stage in path[1:]:
        response = move(browser, case, to_stage, **(filing if to_stage == "filed" else {}))
        assert response.redirect_chain == [(case.get_absolute_url(), 302)]
        assert len(messages_of(response)) == 1
        assert messages_of(response)[0].startswith("Moved to ")
        case.refresh_from_db()
        assert case.stage == to_stage
    assert case.version == len(path)
    changes = StageChange.objects.filter(case=case).order_by("pk")
    assert [(c.from_stage, c.to_stage, c.by) for c in changes] == [
        (a, b, lawyer) for a, b in zip(path, path[1:], strict=False)
    ]
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="stage">Closed<' in page
    assert "Moving it back reopens the case" in page  # closed → retained: see test_ended_cases
    assert "Awaiting decision → Closed by lawyer" in section(page, "history")


def test_a_stage_that_cannot_follow_is_refused(lawyer, case):
    """new → filed skips the work in between: refused with a message, the case stays new."""
    response = move(browser_of(lawyer), case, "filed")
    assert messages_of(response) == [CANNOT_FOLLOW]
    case.refresh_from_db()
    assert case.stage == "new"
    assert case.version == 1
    assert not StageChange.objects.exists()


def test_staff_can_triage_a_new_case(paralegal, case):
    """Staff do the early work: new → triaged goes through."""
    response = move(browser_of(paralegal), case, "triaged")
    assert messages_of(response) == ["Moved to Triaged."]
    case.refresh_from_db()
    assert case.stage == "triaged"
    change = StageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.by) == ("new", "triaged", paralegal)


def test_staff_cannot_retain_a_client(paralegal, case):
    """Taking the client on is an attorney's decision: staff's consultation → retained fails."""
    case.stage = "consultation"
    case.save()
    response = move(browser_of(paralegal), case, "retained")
    assert messages_of(response) == [NOT_ALLOWED]
    case.refresh_from_db()
    assert case.stage == "consultation"
    assert case.version == 1
    assert not StageChange.objects.exists()


@pytest.mark.parametrize("from_stage", ["new", "triaged", "consultation"])
def test_a_case_can_be_declined_early(lawyer, case, from_stage):
    """Before the client is retained, the firm may decline the case."""
    case.stage = from_stage
    case.save()
    response = move(browser_of(lawyer), case, "declined", **DECLINE)
    assert messages_of(response) == ["Moved to Declined."]
    case.refresh_from_db()
    assert case.stage == "declined"


def test_a_case_being_prepared_cannot_be_declined(lawyer, case):
    """Once the firm prepares the application it is too late to decline; the case stays."""
    case.stage = "preparing"
    case.save()
    response = move(browser_of(lawyer), case, "declined")
    assert messages_of(response) == [CANNOT_FOLLOW]
    case.refresh_from_db()
    assert case.stage == "preparing"


def test_the_second_of_two_tabs_is_refused_and_changes_nothing(lawyer, case):
    """Two tabs open on version 1: the first save wins, the second is refused, not applied."""
    browser = browser_of(lawyer)
    first_tab, second_tab = page_version(browser, case), page_version(browser, case)
    assert first_tab == second_tab == 1
    response = move(browser, case, "triaged", version=first_tab)
    assert messages_of(response) == ["Moved to Triaged."]
    response = move(browser, case, "declined", version=second_tab, **DECLINE)
    assert len(messages_of(response)) == 1
    assert messages_of(response)[0].startswith(STALE)
    case.refresh_from_db()
    assert case.stage == "triaged"
    assert case.version == 2
    assert StageChange.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(("name", "data"), [
    ("stage", {"to_stage": "declined", **DECLINE}),
    ("assign", {"attorney": ""}),
    ("priority", {"level": "critical", "note": "Detained yesterday"}),
    ("translation", {"feared_harm_en": ENGLISH}),
])  # fmt: skip
def test_every_form_refuses_a_stale_version(lawyer, case, name, data):
    """Whatever the second tab saves after another save, it is refused and not applied."""
    browser = browser_of(lawyer)
    stale = page_version(browser, case)
    counsel = member_of("counsel", "attorneys")
    case.assigned_attorney = counsel
    case.save()
    move(browser, case, "triaged")
    response = browser.post(url(name, case), {**data, "version": stale}, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert len(messages_of(response)) == 1
    assert messages_of(response)[0].startswith(STALE)
    case.refresh_from_db()
    case.client.claim.refresh_from_db()
    assert (case.stage, case.version, case.assigned_attorney) == ("triaged", 2, counsel)
    assert (case.priority, case.priority_override_note) == ("normal", "")
    assert case.client.claim.feared_harm_en == ""


def test_an_attorney_assigns_and_unassigns_an_attorney(lawyer, case):
    """The attorney chosen is shown on the case; "Unassigned" takes it off again."""
    counsel = member_of("counsel", "attorneys")
    browser = browser_of(lawyer)
    response = browser.post(url("assign", case), {"attorney": counsel.pk, "version": 1},
                            follow=True)  # fmt: skip
    assert messages_of(response) == ["Attorney assigned."]
    assert 'id="attorney">counsel<' in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_attorney == counsel
    response = browser.post(url("assign", case), {"attorney": "", "version": case.version},
                            follow=True)  # fmt: skip
    assert 'id="attorney">unassigned<' in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_attorney is None


def test_only_an_attorney_can_be_assigned(lawyer, paralegal, case):
    """A staff member is not offered as the attorney; posting one is a form error."""
    response = browser_of(lawyer).post(url("assign", case),
                                       {"attorney": paralegal.pk, "version": 1})  # fmt: skip
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assigned_attorney is None
    assert case.version == 1


def test_the_triage_level_override_with_a_note_is_kept_and_shown(lawyer, case):
    """An attorney's level and reason stay through a new assessment and show on the page."""
    browser = browser_of(lawyer)
    response = browser.post(url("priority", case), {
        "level": "critical", "note": "Brother detained yesterday", "version": 1,
    }, follow=True)  # fmt: skip
    assert messages_of(response) == ["Triage level saved."]
    case.refresh_from_db()
    assert case.priority == "critical"
    assert case.priority_override_note == "Brother detained yesterday"
    assert case.priority_overridden_by == lawyer
    case_triage(case=case)
    case.refresh_from_db()
    assert case.priority == "critical"
    page = browser.get(url("detail", case)).content.decode()
    assert 'id="level">Critical<' in page
    assert "set by lawyer" in page
    assert "(Brother detained yesterday)" in page
    assert "Triage now says: <strong>Normal</strong>" in page


def test_a_level_without_a_reason_is_a_form_error(lawyer, case):
    """Changing the level needs a note saying why; without one the form says so."""
    data = {"level": "critical", "note": " ", "version": 1}
    response = browser_of(lawyer).post(url("priority", case), data)
    assert response.status_code == 400
    assert "Say why you change the level the triage gave." in response.content.decode()
    case.refresh_from_db()
    assert (case.priority, case.version) == ("normal", 1)


def test_a_note_is_added_with_its_author_and_time(paralegal, case, time_machine):
    """A note shows who wrote it and when (in the firm's time zone)."""
    time_machine.move_to(datetime(2026, 4, 1, 17, 30, tzinfo=UTC), tick=False)
    browser = browser_of(paralegal)
    response = browser.post(url("note_add", case), {"text": "Client sent the passport."},
                            follow=True)  # fmt: skip
    assert messages_of(response) == ["Note added."]
    note = Note.objects.get(case=case)
    assert (note.author, note.text) == (paralegal, "Client sent the passport.")
    assert note.created_at == datetime(2026, 4, 1, 17, 30, tzinfo=UTC)
    notes = section(response.content.decode(), "notes")
    assert "paralegal, 2026-04-01 10:30" in notes
    assert "Client sent the passport." in notes


def test_the_author_can_edit_a_note_within_24_hours(paralegal, case, time_machine):
    """A slip in a note can be corrected the same day; the note then says it was edited."""
    time_machine.move_to(timezone.now(), tick=False)
    note = Note.objects.create(case=case, author=paralegal, text="Calld the client.")
    time_machine.shift(timedelta(hours=23))
    browser = browser_of(paralegal)
    response = browser.post(url("note_edit", case, note.pk), {"text": "Called the client."},
                            follow=True)  # fmt: skip
    assert messages_of(response) == ["Note updated."]
    note.refresh_from_db()
    assert note.text == "Called the client."
    notes = section(response.content.decode(), "notes")
    assert "(edited)" in notes and "Called the client." in notes


def assert_note_edit_refused(browser, case, note):
    """No edit form on the page, and a forged edit refused with the note unchanged."""
    assert (
        f'action="{url("note_edit", case, note.pk)}"'
        not in browser.get(url("detail", case)).content.decode()
    )
    response = browser.post(url("note_edit", case, note.pk), {"text": "Rewritten."},
                            follow=True)  # fmt: skip
    assert messages_of(response) == [NOT_ALLOWED]
    note.refresh_from_db()
    assert note.text == "Called the client."


def test_a_note_cannot_be_edited_after_24_hours(paralegal, case, time_machine):
    """Notes are a record: 25 hours on, even the author cannot change one."""
    time_machine.move_to(timezone.now(), tick=False)
    note = Note.objects.create(case=case, author=paralegal, text="Called the client.")
    time_machine.shift(timedelta(hours=25))
    assert_note_edit_refused(browser_of(paralegal), case, note)


def test_another_user_cannot_edit_a_note(paralegal, lawyer, case):
    """Only the author may correct a note, even within the 24 hours."""
    note = Note.objects.create(case=case, author=paralegal, text="Called the client.")
    assert_note_edit_refused(browser_of(lawyer), case, note)


def test_the_translation_is_kept_beside_the_clients_own_words(lawyer, case):
    """The English goes in its own column; what the client wrote is never overwritten."""
    browser = browser_of(lawyer)
    data = {f"{name}_en": "" for name in case.client.claim.NARRATIVE_FIELDS}
    response = browser.post(url("translation", case),
                            {**data, "feared_harm_en": ENGLISH, "version": 1},
                            follow=True)  # fmt: skip
    assert messages_of(response) == ["Translation saved."]
    claim = case.client.claim
    claim.refresh_from_db()
    assert claim.feared_harm == WORDS
    assert claim.feared_harm_en == ENGLISH
    narrative = section(response.content.decode(), "narrative")
    row = next(r for r in narrative.split("<tr>") if WORDS in r)
    assert ENGLISH in row


def test_the_family_table_shows_who_can_be_a_derivative(lawyer, case):
    """A spouse is eligible; a child about to turn 21 is flagged with the date."""
    on = today()
    birth = on - relativedelta(years=21) + relativedelta(months=3)
    FamilyMemberFactory(client=case.client, relationship="spouse", given_names="Irina",
                        family_name="Politova", marital_status="married",
                        date_of_birth=on - relativedelta(years=33))  # fmt: skip
    FamilyMemberFactory(client=case.client, relationship="child", given_names="Pavel",
                        family_name="Politov", marital_status="single",
                        date_of_birth=birth)  # fmt: skip
    FamilyMemberFactory(client=case.client, relationship="parent", given_names="Oleg",
                        family_name="Politov", marital_status="married",
                        date_of_birth=on - relativedelta(years=60))  # fmt: skip
    page = browser_of(lawyer).get(url("detail", case)).content.decode()
    rows = {
        name: row for row in section(page, "family").split("<tr>")
        for name in ("Irina", "Pavel", "Oleg") if f"{name} Politov" in row
    }  # fmt: skip
    assert "<strong>Eligible</strong>" in rows["Irina"]
    assert "Turns 21" not in rows["Irina"]
    assert "<strong>Eligible</strong>" in rows["Pavel"]
    turns_21 = birth + relativedelta(years=21)
    assert f"Turns 21 on {turns_21:%Y-%m-%d}" in rows["Pavel"]
    assert "Not eligible" in rows["Oleg"]


def test_the_conflict_check_finds_a_similar_name_in_the_other_script(lawyer, case):
    """A relative "Dmitrii Politov" in another case is found for "Дмитрий Политов"."""
    other = CaseFactory(client=ClientFactory(
        given_names="Olena", family_name="Shevchenko", given_names_native="Олена",
        family_name_native="Шевченко",
    ))  # fmt: skip
    FamilyMemberFactory(client=other.client, relationship="sibling", given_names="Dmitrii",
                        family_name="Politov", date_of_birth=None)  # fmt: skip
    unrelated = CaseFactory(client=ClientFactory(
        given_names="Maria", family_name="Gonzalez", given_names_native="",
        family_name_native="",
    ))  # fmt: skip
    FamilyMemberFactory(client=unrelated.client, given_names="Lucia", family_name="Gonzalez")
    browser = browser_of(lawyer)
    assert 'id="conflicts"' not in browser.get(url("detail", case)).content.decode()
    page = browser.get(url("detail", case), {"conflicts": "1"}).content.decode()
    conflicts = section(page, "conflicts")
    assert "Dmitrii Politov" in conflicts
    assert other.reference in conflicts
    assert "Family member" in conflicts
    assert unrelated.reference not in conflicts
    assert "Gonzalez" not in conflicts
    assert "Shevchenko" not in conflicts


def test_the_conflict_check_finds_a_name_written_only_in_cyrillic(lawyer):
    """A client "Olena Shevchenko" is matched by a relative written "Олена Шевченко"."""
    case = CaseFactory(client=ClientFactory(
        given_names="Olena", family_name="Shevchenko", given_names_native="",
        family_name_native="",
    ))  # fmt: skip
    other = CaseFactory()
    FamilyMemberFactory(client=other.client, relationship="sibling", given_names="Helen",
                        family_name="Shevchenko", name_native="Олена Шевченко")  # fmt: skip
    page = browser_of(lawyer).get(url("detail", case), {"conflicts": "1"}).content.decode()
    conflicts = section(page, "conflicts")
    assert other.reference in conflicts
    assert "Олена Шевченко" in conflicts


def test_the_conflict_check_says_when_nobody_matches(lawyer, case):
    """With no similar name anywhere, the check says so."""
    CaseFactory(client=ClientFactory(given_names="Maria", family_name="Gonzalez",
                                     given_names_native="", family_name_native=""))  # fmt: skip
    page = browser_of(lawyer).get(url("detail", case), {"conflicts": "1"}).content.decode()
    assert "No client or family member elsewhere has a similar name." in section(page, "conflicts")


def test_an_unknown_case_is_not_found(lawyer, case):
    """A case number that does not exist is a 404, not an error page."""
    response = browser_of(lawyer).get(reverse("cases:detail", args=[case.pk + 1000]))
    assert response.status_code == 404


def test_opening_the_case_page_is_logged_once(lawyer, case):
    """Each view of the case page leaves exactly one line in the access log."""
    response = browser_of(lawyer).get(url("detail", case))
    assert response.status_code == 200
    access = CaseAccess.objects.get()
    assert (access.case, access.user, access.action) == (case, lawyer, "view")


def test_a_childs_age_is_taken_on_the_filing_date_and_family_abroad_may_follow(lawyer, case):
    """Filed when the son was 20: he stays a derivative after turning 21, with no warning;
    a daughter abroad is shown as follow-to-join (I-730)."""
    on = today()
    claim = case.client.claim
    claim.filed_on = on - relativedelta(months=6)
    claim.save()
    FamilyMemberFactory(client=case.client, given_names="Pavel", family_name="Politov",
                        date_of_birth=on - relativedelta(years=21, months=2))  # fmt: skip
    FamilyMemberFactory(client=case.client, given_names="Anna", family_name="Politova",
                        date_of_birth=on - relativedelta(years=10),
                        in_united_states=False)  # fmt: skip
    page = browser_of(lawyer).get(url("detail", case)).content.decode()
    rows = {
        name: row for row in section(page, "family").split("<tr>")
        for name in ("Pavel", "Anna") if f"{name} Politov" in row
    }  # fmt: skip
    assert "<strong>Eligible</strong>" in rows["Pavel"]
    assert "Turns 21" not in rows["Pavel"]
    assert "follow-to-join (I-730)" in rows["Anna"]


def test_no_stage_is_preselected_and_moving_needs_a_choice(lawyer, case):
    """"Move to" opens on "Choose the next stage": a stray click never closes a case."""
    browser = browser_of(lawyer)
    page = browser.get(url("detail", case)).content.decode()
    select = re.search(r'<select name="to_stage".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>Choose the next stage</option>', select)
    assert select.count("selected") == 1
    response = browser.post(url("stage", case), {"to_stage": "", "version": case.version})
    assert "Choose the stage to move to." in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "new" and not StageChange.objects.filter(case=case).exists()


def test_an_override_shows_as_chosen_with_its_note(lawyer, case):
    browser = browser_of(lawyer)
    browser.post(url("priority", case), {"level": "critical", "note": "Called: detained today",
                                         "version": case.version})  # fmt: skip
    page = browser.get(url("detail", case)).content.decode()
    select = re.search(r'<select name="level".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="critical" selected>', select)
    assert "Called: detained today</textarea>" in page
