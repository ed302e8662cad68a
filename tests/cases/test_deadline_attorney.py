"""An attorney's "upcoming deadlines" panel reads the attorney copied on each deadline (one
index range; no guess of how many of the firm's deadlines are theirs): the copy follows every
change of who works the case, from the case page, in bulk and by a merge, and every new
deadline takes it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.merging import case_merge
from cases.models import Case, Deadline
from cases.timezones import today

from ..conftest import browser_of
from ..factories import CaseFactory, ClientFactory, member_of

pytestmark = pytest.mark.django_db


def upcoming(browser) -> str:
    """The panel as the signed-in user sees it on the dashboard."""
    page = browser.get(reverse("cases:dashboard")).content.decode()
    return page.split('id="upcoming"', 1)[1].split("</ul>", 1)[0]


def hearing(case, days=5) -> Deadline:
    return Deadline.objects.create(case=case, kind="hearing", due_date=today() + timedelta(days))


def copies_right():
    """Every deadline carries its case's attorney."""
    rows = Deadline.objects.values_list("pk", "attorney_id", "case__assigned_attorney_id")
    assert rows and [r for r in rows if r[1] != r[2]] == []


@pytest.fixture
def counsel():
    return member_of("counsel", "attorneys")


def test_a_deadline_entered_on_an_assigned_case_shows_in_its_attorneys_panel(lawyer, counsel):
    mine = CaseFactory(stage="retained", assigned_attorney=lawyer)
    theirs = CaseFactory(stage="retained", assigned_attorney=counsel)
    hearing(mine)
    hearing(theirs, days=6)
    copies_right()
    panel = upcoming(browser_of(lawyer))
    assert mine.reference in panel and theirs.reference not in panel
    assert theirs.reference in upcoming(browser_of(counsel))


def test_reassigning_on_the_case_page_moves_the_deadlines_to_the_new_attorneys_panel(
    lawyer, counsel
):
    case = CaseFactory(stage="retained", assigned_attorney=lawyer)
    hearing(case)
    browser = browser_of(lawyer)
    assert case.reference in upcoming(browser)
    form = {"attorney": counsel.pk, "version": case.version}
    response = browser.post(reverse("cases:assign", args=[case.pk]), form, follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).assigned_attorney == counsel
    copies_right()
    assert case.reference not in upcoming(browser)
    assert case.reference in upcoming(browser_of(counsel))


def test_unassigning_takes_the_deadlines_out_of_every_attorneys_panel(lawyer):
    case = CaseFactory(stage="retained", assigned_attorney=lawyer)
    hearing(case)
    browser = browser_of(lawyer)
    browser.post(reverse("cases:assign", args=[case.pk]), {"attorney": "", "version": 1})
    assert Deadline.objects.get(case=case).attorney is None
    assert case.reference not in upcoming(browser)


def test_a_bulk_assignment_moves_every_selected_cases_deadlines(lawyer, counsel):
    cases = [CaseFactory(stage="triaged") for _ in range(3)]
    for case in cases:
        hearing(case)
    untouched = CaseFactory(stage="triaged")
    hearing(untouched)
    browser = browser_of(lawyer)
    data = {"next": "", "cases": [c.pk for c in cases], "action": "assign",
            "attorney": str(counsel.pk)}  # fmt: skip
    data |= {f"version-{c.pk}": c.version for c in cases}
    assert browser.post(reverse("cases:bulk"), data).status_code == 302
    copies_right()
    panel = upcoming(browser_of(counsel))
    assert all(c.reference in panel for c in cases) and untouched.reference not in panel
    assert Deadline.objects.get(case=untouched).attorney is None


def test_a_merge_gives_the_moved_deadlines_the_kept_cases_attorney(lawyer, counsel):
    kept = CaseFactory(stage="retained", assigned_attorney=counsel,
                       client=ClientFactory(given_names="Alexey"))  # fmt: skip
    other = CaseFactory(stage="triaged", assigned_attorney=lawyer,
                        client=ClientFactory(given_names="Aleksei"))  # fmt: skip
    moved = Deadline.objects.create(
        case=other, kind="interview", due_date=today() + timedelta(days=9), entered_by=lawyer
    )
    case_merge(keep=kept, merge=other, by=counsel, keep_version=kept.version,
               merge_version=other.version)  # fmt: skip
    moved.refresh_from_db()
    assert (moved.case_id, moved.attorney_id) == (kept.pk, counsel.pk)
    copies_right()
    assert kept.reference in upcoming(browser_of(counsel))
    assert kept.reference not in upcoming(browser_of(lawyer))


def test_a_merge_into_an_unassigned_case_brings_the_attorney_to_all_its_deadlines(lawyer):
    kept = CaseFactory(stage="triaged", client=ClientFactory(given_names="Alexey"))
    hearing(kept, days=3)
    other = CaseFactory(stage="retained", assigned_attorney=lawyer,
                        client=ClientFactory(given_names="Aleksei"))  # fmt: skip
    case_merge(keep=kept, merge=other, by=lawyer, keep_version=kept.version,
               merge_version=other.version)  # fmt: skip
    assert Case.objects.get(pk=kept.pk).assigned_attorney == lawyer
    copies_right()
    assert kept.reference in upcoming(browser_of(lawyer))
