"""Same person: two cases merged into one from the compare page; nothing lost, audited on
both, refused with a clear message (and nothing done) when it cannot be done as asked."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cases.deadlines import one_year_filing_deadline
from cases.models import Case, CaseAccess, Deadline, Document, Note, StageChange
from cases.paralegals import case_assign_team
from cases.timezones import today

from ..conftest import browser_of
from ..factories import (
    CaseFactory,
    ClientFactory,
    EntryFactory,
    FamilyMemberFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(lawyer):
    """Alexey Politov twice: an older case, and a newer intake spelt "Aleksei" with an
    address, a relative, a hearing in 5 days, a document, a note and a stage move."""
    kept = CaseFactory(client=ClientFactory(
        given_names="Alexey", family_name="Politov", given_names_native="Алексей",
        family_name_native="Политов", email="alexey@example.org", phone="+16195550100",
    ))  # fmt: skip
    EntryFactory(client=kept.client, date=today() - timedelta(days=200))
    Note.objects.create(case=kept, author=lawyer, text="Called back on Monday.")
    other = CaseFactory(client=ClientFactory(
        given_names="Aleksei", family_name="Politov", given_names_native="Алексей",
        family_name_native="Политов", email="a.politov@example.org", phone="",
        address_line1="1200 Harbor Dr", city="San Diego", state="CA", postal_code="92101",
    ))  # fmt: skip
    EntryFactory(client=other.client, date=today() - timedelta(days=100), place="Otay Mesa")
    FamilyMemberFactory(client=other.client, relationship="spouse", given_names="Irina",
                        family_name="Politova", marital_status="married")  # fmt: skip
    Deadline.objects.create(case=other, kind="hearing", due_date=today() + timedelta(days=5),
                            entered_by=lawyer)  # fmt: skip
    Document.objects.create(client=other.client, kind="id", original_name="passport.jpg",
                            content_type="image/jpeg", size=3,
                            file=ContentFile(b"abc", name="x"))  # fmt: skip
    Note.objects.create(case=other, author=lawyer, text="Wrote in again from a new address.")
    StageChange.objects.create(case=other, from_stage="new", to_stage="triaged", by=lawyer)
    other.possible_duplicates.add(kept)
    return Case.objects.get(pk=kept.pk), Case.objects.get(pk=other.pk)


def compare_url(a, b, action=""):
    name = {"": "duplicate_compare", "merge": "duplicate_merge"}[action]
    return reverse(f"cases:{name}", args=[a.pk, b.pk])


def versions(page: str) -> dict:
    return {name: value for name, value in re.findall(r'name="(version_[ab])" value="(\d+)"',
                                                      page)}  # fmt: skip


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def merge_post(browser, a, b, keep, page_versions=None, confirm=True, follow=True):
    page_versions = page_versions or versions(browser.get(compare_url(a, b)).content.decode())
    data = {**page_versions, "keep": keep.pk}
    if confirm:
        data["confirm"] = "on"
    return browser.post(compare_url(a, b, "merge"), data, follow=follow)


def test_the_compare_page_shows_both_side_by_side_with_the_differences_in_words(lawyer, pair):
    kept, other = pair
    page = browser_of(lawyer).get(compare_url(kept, other)).content.decode()
    rows = dict(re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>(.*?)</tr>', page,
                           re.S))  # fmt: skip
    assert "Differs: another spelling of the same name" in rows["Names (Latin)"]
    assert "Same" in rows["Names (native)"] and "Differs" not in rows["Names (native)"]
    assert "alexey@example.org" in rows["E-mail"] and "Differs" in rows["E-mail"]
    assert "1200 Harbor Dr" in rows["US address"]
    assert re.search(r"<td>0</td><td>1</td>", rows["Family members"])
    assert "Keep " + kept.reference in page and "Keep " + other.reference in page
    # Both cases' clients were shown: both views are in their audit trails.
    for case in pair:
        assert case.accesses.filter(action="view").exists()


def test_merging_moves_everything_to_the_case_that_stays(lawyer, pair):
    kept, other = pair
    assert kept.priority == "normal"
    browser = browser_of(lawyer)
    response = merge_post(browser, kept, other, keep=kept)
    assert f"{other.reference} merged into {kept.reference}." in messages_of(response)
    page = response.content.decode()
    assert response.request["PATH_INFO"] == kept.get_absolute_url()
    assert "Wrote in again from a new address." in page and "Called back on Monday." in page
    assert "Irina" in page and "passport.jpg" in page and "Otay Mesa" in page
    kept.refresh_from_db()
    other.refresh_from_db()
    client = kept.client
    client.refresh_from_db()
    # Blank facts filled from the other case; where both had one, the kept value stays and
    # the other is in a note.
    assert client.address_line1 == "1200 Harbor Dr" and client.city == "San Diego"
    assert client.email == "alexey@example.org"
    note = kept.notes.get(text__startswith=f"Merged {other.reference}")
    assert "E-mail: a.politov@example.org" in note.text
    assert "Aleksei Politov" in note.text
    # The hearing in 5 days now drives the kept case's triage; the later arrival its clock.
    assert kept.priority == "critical"
    assert kept.next_deadline_kind == "hearing"
    one_year = kept.deadlines.get(kind="one_year", computed=True)
    assert one_year.due_date == one_year_filing_deadline(today() - timedelta(days=100))
    assert kept.stage_changes.filter(to_stage="triaged").exists()
    # The merged case is a record that says where it went, chasing no deadline.
    assert other.merged_into == kept
    assert not other.deadlines.filter(status="open").exists()
    assert other.next_deadline_date is None
    assert not kept.possible_duplicates.exists() and not kept.duplicated_by.exists()
    for case, other_ref in ((kept, other.reference), (other, kept.reference)):
        audit = case.accesses.get(action=CaseAccess.Action.MERGE)
        assert audit.user == lawyer
        assert other_ref in audit.detail.values()
        assert audit.detail["moved"] == {"entries": 1, "family": 1, "documents": 1, "notes": 1,
                                         "deadlines": 1, "stage_changes": 1, "claim": 0}
    # Its access log stays its own (append-only).
    assert other.accesses.filter(action="view").exists()


def test_the_merged_case_says_where_it_went_and_offers_no_forms(lawyer, pair):
    kept, other = pair
    browser = browser_of(lawyer)
    merge_post(browser, kept, other, keep=kept)
    page = browser.get(other.get_absolute_url()).content.decode()
    link = f'<a class="alert-link" href="{kept.get_absolute_url()}">{kept.reference}</a>'
    assert f"Merged into {link}" in page
    for form in ("Move stage", "Add note", "Set triage level", "Add a deadline", 'name="version"'):
        assert form not in page
    # A form posted from a tab opened before the merge changes nothing.
    response = browser.post(reverse("cases:stage", args=[other.pk]),
                            {"to_stage": "triaged", "version": other.version + 1},
                            follow=True)  # fmt: skip
    assert f"This case was merged into {kept.reference}: make changes there." in messages_of(
        response
    )
    other.refresh_from_db()
    assert other.stage == "new"


def test_either_case_can_be_the_one_that_stays(lawyer, pair):
    kept, other = pair
    merge_post(browser_of(lawyer), kept, other, keep=other)
    kept.refresh_from_db()
    assert kept.merged_into_id == other.pk
    assert other.notes.filter(text="Called back on Monday.").exists()


def test_a_paralegal_sees_no_merge_form_and_cannot_merge(paralegal, pair):
    kept, other = pair
    browser = browser_of(paralegal)
    page = browser.get(compare_url(kept, other)).content.decode()
    assert 'id="merge-form"' not in page
    assert 'id="not-duplicate-form"' in page
    data = {"version_a": kept.version, "version_b": other.version, "keep": kept.pk,
            "confirm": "on"}  # fmt: skip
    assert browser.post(compare_url(kept, other, "merge"), data).status_code == 403
    other.refresh_from_db()
    assert other.merged_into is None


@pytest.mark.parametrize("keep", ["999999", "x", ""])
def test_a_case_to_keep_that_is_not_one_of_the_two_is_refused_beside_the_field(lawyer, pair,
                                                                               keep):
    kept, other = pair
    browser = browser_of(lawyer)
    data = {**versions(browser.get(compare_url(kept, other)).content.decode()), "keep": keep,
            "confirm": "on"}  # fmt: skip
    response = browser.post(compare_url(kept, other, "merge"), data)
    assert response.status_code == 400
    assert response.context["merge_form"].errors["keep"]
    assert Case.objects.get(pk=other.pk).merged_into is None


def test_versions_out_of_bounds_are_refused_beside_the_form(lawyer, pair):
    kept, other = pair
    data = {"version_a": 10**30, "version_b": -1, "keep": kept.pk, "confirm": "on"}
    response = browser_of(lawyer).post(compare_url(kept, other, "merge"), data)
    assert response.status_code == 400
    assert set(response.context["merge_form"].errors) == {"version_a", "version_b"}
    assert Case.objects.get(pk=other.pk).merged_into is None


def test_a_merge_without_the_confirmation_says_so_beside_the_box(lawyer, pair):
    kept, other = pair
    response = merge_post(browser_of(lawyer), kept, other, keep=kept, confirm=False,
                          follow=False)  # fmt: skip
    assert response.status_code == 400
    assert "Tick the box to confirm these are the same person." in response.content.decode()
    assert not CaseAccess.objects.filter(action="merge").exists()
    assert Case.objects.get(pk=other.pk).merged_into is None


def test_a_case_cannot_be_merged_with_itself(lawyer, pair):
    kept, _other = pair
    browser = browser_of(lawyer)
    response = browser.post(compare_url(kept, kept, "merge"), {
        "version_a": kept.version, "version_b": kept.version, "keep": kept.pk, "confirm": "on",
    }, follow=True)  # fmt: skip
    assert "A case cannot be merged with itself." in messages_of(response)
    kept.refresh_from_db()
    assert kept.merged_into is None and kept.version == 1
    assert not CaseAccess.objects.filter(action="merge").exists()


def test_a_stale_merge_changes_nothing(lawyer, pair):
    """Another user assigns the newer case after the compare page was opened."""
    kept, other = pair
    browser = browser_of(lawyer)
    seen = versions(browser.get(compare_url(kept, other)).content.decode())
    case_assign_team(case=other, attorney=lawyer, paralegal=None, by=lawyer,
                     version=other.version)  # fmt: skip
    response = merge_post(browser, kept, other, keep=kept, page_versions=seen)
    assert any("This case changed since you opened it" in m for m in messages_of(response))
    other.refresh_from_db()
    kept.refresh_from_db()
    assert other.merged_into is None
    assert other.notes.count() == 1 and kept.notes.count() == 1
    assert kept.version == 1  # the kept side's version claim was rolled back too
    assert not CaseAccess.objects.filter(action="merge").exists()


def test_a_case_already_merged_is_not_merged_again(lawyer, pair):
    kept, other = pair
    browser = browser_of(lawyer)
    merge_post(browser, kept, other, keep=kept)
    third = CaseFactory()
    other.refresh_from_db()
    page = browser.get(compare_url(third, other)).content.decode()
    assert 'id="merge-form"' not in page
    assert f"{other.reference} was already merged into" in page
    response = browser.post(compare_url(third, other, "merge"), {
        "version_a": third.version, "version_b": other.version, "keep": third.pk,
        "confirm": "on",
    }, follow=True)  # fmt: skip
    assert f"{other.reference} was already merged into {kept.reference}." in messages_of(response)
    third.refresh_from_db()
    assert third.version == 1 and CaseAccess.objects.filter(action="merge").count() == 2


def test_a_case_that_does_not_exist_is_not_found(lawyer, pair):
    kept, _other = pair
    browser = browser_of(lawyer)
    missing = reverse("cases:duplicate_compare", args=[kept.pk, 999_999])
    assert browser.get(missing).status_code == 404
    merge = reverse("cases:duplicate_merge", args=[kept.pk, 999_999])
    assert browser.post(merge, {"keep": kept.pk}).status_code == 404
    # Past what the database's ids hold: not found either, never a 500.
    huge = reverse("cases:duplicate_merge", args=[kept.pk, 10**20])
    assert browser.post(huge, {"keep": kept.pk}).status_code == 404


def test_computed_deadlines_are_worked_out_again_not_doubled(lawyer, pair):
    kept, other = pair
    assert other.deadlines.filter(kind="one_year", computed=True).exists()
    merge_post(browser_of(lawyer), kept, other, keep=kept)
    assert kept.deadlines.filter(kind="one_year", computed=True).count() == 1
    assert other.deadlines.get(kind="one_year").status == "not_applicable"


def test_the_merged_spelling_is_searchable_on_the_kept_case(client, attorney, pair):
    kept, other = pair
    Case.objects.filter(pk=kept.pk).update(version=1)
    client.post(compare_url(kept, other, "merge"), {
        "version_a": 1, "version_b": other.version, "keep": kept.pk, "confirm": "on"})
    kept.client.refresh_from_db()
    # "Aleksei" folds like "Alexey": the same word, so nothing to add to the other names.
    assert kept.client.other_names == ""
    page = client.get("/cases/", {"q": "Politov, Aleksei"}).context["page"]
    assert kept.reference in [case.reference for case in page]


def test_a_name_spelt_quite_otherwise_is_kept_as_another_name(lawyer):
    kept = CaseFactory(client=ClientFactory(given_names="Dmitry", family_name="Politov"))
    other = CaseFactory(client=ClientFactory(
        given_names="Dima", family_name="Politov", given_names_native="Дима",
        family_name_native="Политов", phone="+16195550111",
    ))  # fmt: skip
    merge_post(browser_of(lawyer), kept, other, keep=kept)
    kept.client.refresh_from_db()
    assert kept.client.other_names == "Dima Politov Дима Политов"
    note = kept.notes.get(text__startswith=f"Merged {other.reference}")
    assert "Phone: +1 619-555-0111" in note.text
    assert kept.client.phone == "+16195550100"


def test_a_merge_that_fails_part_way_leaves_both_cases_as_they_were(lawyer, pair, monkeypatch):
    """One transaction: a failure after the rows moved (here, working out the deadlines)
    takes every move back with it."""
    from cases import merging, services

    kept, other = pair

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "deadlines_sync_computed", broken)
    with pytest.raises(RuntimeError):
        merging.case_merge(keep=kept, merge=other, by=lawyer, keep_version=kept.version,
                           merge_version=other.version)  # fmt: skip
    other.refresh_from_db()
    kept.refresh_from_db()
    assert other.merged_into is None and (kept.version, other.version) == (1, 1)
    assert other.notes.count() == 1 and other.client.family.count() == 1
    assert other.deadlines.filter(kind="hearing", status="open").exists()
    assert kept.notes.count() == 1 and not kept.client.documents.exists()
    assert other.possible_duplicates.filter(pk=kept.pk).exists()
    assert not CaseAccess.objects.filter(action="merge").exists()


def test_a_merged_case_takes_no_note_or_deadline_by_a_direct_post():
    """The forms are hidden on a merged case; a POST made anyway is refused with a message
    saying where the case went, and nothing is written."""
    kept = CaseFactory()
    merged = CaseFactory(merged_into=kept)
    browser = browser_of(member_of("counsel", "attorneys"))
    response = browser.post(reverse("cases:note_add", args=[merged.pk]),
                            {"text": "Called the client."}, follow=True)  # fmt: skip
    assert f"merged into {kept.reference}" in response.content.decode()
    soon = (today() + timedelta(days=10)).isoformat()
    response = browser.post(reverse("cases:deadline_add", args=[merged.pk]),
                            {"kind": "biometrics", "due_date": soon, "status": "open"},
                            follow=True)  # fmt: skip
    assert f"merged into {kept.reference}" in response.content.decode()
    assert not Note.objects.filter(case=merged).exists()
    assert not Deadline.objects.filter(case=merged, kind="biometrics").exists()
