"""Each role sees on the case page exactly the forms it may use: every form shown posts
successfully for that role, and every form not shown would have been refused."""

import re
from datetime import timedelta

import pytest
from django.urls import resolve, reverse

from cases.models import AsylumClaim, CaseAccess, Deadline, Note
from cases.timezones import today
from notifications.models import Email

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory, member_of

pytestmark = pytest.mark.django_db

EVERY_FORM = {"stage", "assign", "priority", "note_add", "note_edit", "translation",
              "deadline_add", "deadline_edit", "filing", "arrival", "resend", "contact",
              "consultation", "paralegal_self", "conflict_check"}  # fmt: skip
SHOWN = {
    # An attorney sets the paralegal in the assign form; taking a case is a paralegal's.
    "attorneys": EVERY_FORM - {"paralegal_self"},
    "staff": {"stage", "priority", "note_add", "note_edit", "deadline_add", "deadline_edit",
              "resend", "contact", "consultation", "paralegal_self", "conflict_check"},
    "administrators": {"stage", "priority", "consultation", "conflict_check"},
}  # fmt: skip
# The stage form's choices: declining is an attorney's (cases/workflow.py).
MOVES = {"attorneys": ["consultation", "declined"], "staff": ["consultation"],
         "administrators": ["consultation"]}  # fmt: skip


@pytest.fixture
def world(request):
    """A triaged case with a row for every form: claim, arrival, e-mail, entered deadline,
    and a fresh note by the user of the role under test."""
    group = request.param
    user = member_of(f"member-of-{group.replace(' ', '-')}", group)
    lawyer = member_of("counsel", "attorneys")
    case = CaseFactory(stage="triaged")
    entry = EntryFactory(client=case.client)
    AsylumClaimFactory(client=case.client)
    email = Email.objects.create(case_id=case.pk, kind="confirmation", to=case.client.email,
                                 subject="We received your intake", body_text="Thank you.",
                                 status="failed")  # fmt: skip
    deadline = Deadline.objects.create(case=case, kind="interview", entered_by=lawyer,
                                       due_date=today() + timedelta(days=20))  # fmt: skip
    note = Note.objects.create(case=case, author=user, text="Left a voicemail.")
    return {"group": group, "user": user, "lawyer": lawyer, "case": case, "entry": entry,
            "email": email, "deadline": deadline, "note": note}  # fmt: skip


def path_of(name, w) -> str:
    extra = {"note_edit": [w["note"].pk], "deadline_edit": [w["deadline"].pk],
             "resend": [w["email"].pk]}.get(name, [])  # fmt: skip
    return reverse(f"cases:{name}", args=[w["case"].pk, *extra])


def data_of(name, w) -> dict:
    """A valid POST of each form, as a person filling it in would send it."""
    case = w["case"]
    case.refresh_from_db()
    soon = (today() + timedelta(days=30)).isoformat()
    edit = f"d{w['deadline'].pk}"
    data = {
        "stage": {"to_stage": "consultation"},
        "assign": {"attorney": w["lawyer"].pk},
        "priority": {"level": "high", "note": "Hearing moved earlier"},
        "note_add": {"text": "Client sent the passport."},
        "note_edit": {"text": "Left two voicemails."},
        "translation": {f"{name}_en": "" for name in AsylumClaim.NARRATIVE_FIELDS}
        | {"feared_harm_en": "They will mobilise me and send me to the war."},
        "deadline_add": {"kind": "biometrics", "due_date": soon, "status": "open"},
        "deadline_edit": {f"{edit}-kind": "interview", f"{edit}-due_date": soon,
                          f"{edit}-status": "open"},
        "filing": {"filed_on": today().isoformat(), "filing_type": "affirmative",
                   "ead_clock_stopped_days": 0},
        "arrival": {"entry": w["entry"].pk, "date": "2026-03-01"},
        "resend": {},
        "contact": {"email": "new.address@example.org", "phone": "+16195550142",
                    "preferred_contact": "email", "address_line1": "1200 Third Ave",
                    "address_line2": "", "city": "San Diego", "state": "CA",
                    "postal_code": "92101"},
        "consultation": {"day": soon, "at": "10:30", "attorney": w["lawyer"].pk,
                         "mode": "video"},
        "paralegal_self": {"action": "take"},
        "conflict_check": {},
    }[name]  # fmt: skip
    if name in {"note_add", "note_edit", "resend", "deadline_add", "deadline_edit"}:
        return data
    return {**data, "version": case.version}


def forms_on(page: str) -> set[str]:
    """The case-page forms in the page, by their URL names (the header's sign-out aside)."""
    names = set()
    for action in re.findall(r'<form[^>]*action="([^"]+)"', page):
        match = resolve(action)
        if match.namespace == "cases":
            names.add(match.url_name)
    return names


def outcome(browser, name, w) -> str:
    response = browser.post(path_of(name, w), data_of(name, w))
    if response.status_code == 403:
        return "refused"
    assert response.status_code == 302, (name, response.status_code)
    page = browser.get(response["Location"])
    levels = {m.level_tag for m in page.context["messages"]}
    assert len(levels) == 1, (name, levels)
    return {"success": "saved", "error": "refused"}[levels.pop()]


ROLES = list(SHOWN)


@pytest.mark.parametrize("world", ROLES, indirect=True)
def test_the_case_page_shows_a_role_exactly_the_forms_it_may_use(world):
    browser = browser_of(world["user"])
    page = browser.get(path_of("detail", world)).content.decode()
    shown = forms_on(page)
    assert shown - EVERY_FORM == set(), "a new form on the case page: add its POST here"
    assert shown == SHOWN[world["group"]]
    stage_form = page[page.index('id="stage-form"') :]
    stage_form = stage_form[: stage_form.index("</form>")]
    assert re.findall(r'<option value="(\w+)"', stage_form) == MOVES[world["group"]]
    # None preselected: the user chooses.
    assert re.findall(r'<option value="(\w*)" selected', stage_form) == [""]

    # Every form shown saves; the stage last, as it changes what the page offers.
    for name in sorted(shown - {"stage"}) + ["stage"]:
        assert outcome(browser, name, world) == "saved", name
    world["case"].refresh_from_db()
    assert world["case"].stage == "consultation"
    assert CaseAccess.objects.filter(case=world["case"], user=world["user"],
                                     action="stage").exists()  # fmt: skip


@pytest.mark.parametrize("world", ROLES, indirect=True)
def test_every_form_a_role_is_not_shown_would_be_refused(world):
    """Hiding a form takes nothing away: each one hidden is refused when posted anyway."""
    browser = browser_of(world["user"])
    hidden = EVERY_FORM - SHOWN[world["group"]]
    version = world["case"].version
    for name in sorted(hidden):
        assert outcome(browser, name, world) == "refused", name
    world["case"].refresh_from_db()
    assert world["case"].version == version


@pytest.mark.parametrize(("group", "says"), [
    ("staff", "Moving this case to Retained or Declined is an attorney's decision."),
    ("administrators", "Moving this case to Retained or Declined is an attorney's decision."),
])  # fmt: skip
def test_without_a_move_of_its_own_a_role_gets_no_stage_form_but_a_line(group, says):
    """After the consultation, only an attorney retains or declines: no stage form for the
    others, and a plain line saying who can."""
    case = CaseFactory(stage="consultation")
    page = browser_of(member_of("someone", group)).get(reverse("cases:detail", args=[case.pk]))
    page = page.content.decode()
    assert 'id="stage-form"' not in page
    assert f'<p id="stage-who">{says}</p>' in page
    lawyer_page = browser_of(member_of("counsel", "attorneys")).get(
        reverse("cases:detail", args=[case.pk])
    ).content.decode()
    assert 'id="stage-form"' in lawyer_page
    assert 'id="stage-who"' not in lawyer_page


def test_a_paralegal_is_not_offered_the_move_to_filed(paralegal):
    """Filing records the filing on the claim, which a paralegal may not change: from
    "preparing" a paralegal has no move, as closing is an attorney's too."""
    case = CaseFactory(stage="preparing")
    page = browser_of(paralegal).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="stage-form"' not in page
    assert "Moving this case to Filed or Closed is an attorney's decision." in page
