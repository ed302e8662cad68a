"""Not the same person: the pair's links go both ways, both cases' audit trails say who
decided, and the pair is never suggested again; a merged case is suggested as the case it
was merged into."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.duplicates import find_possible_duplicates
from cases.merging import case_merge
from cases.models import Case, CaseAccess, NotDuplicate

from ..conftest import browser_of
from ..factories import CaseFactory, ClientFactory, member_of

pytestmark = pytest.mark.django_db


def politov(**values):
    """Dmitry Politov, born 1990-05-17 (the factory's), with his own e-mail."""
    return CaseFactory(client=ClientFactory(phone="", **values))


@pytest.fixture
def pair():
    older, newer = politov(), politov(given_names="Dmitrii")
    newer.possible_duplicates.add(*find_possible_duplicates(newer.client))
    assert list(newer.possible_duplicates.all()) == [older]
    return older, newer


def dismiss(browser, a, b):
    return browser.post(reverse("cases:not_duplicate", args=[a.pk, b.pk]), follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_not_the_same_person_unlinks_both_ways_and_is_audited_on_both(paralegal, pair):
    older, newer = pair
    browser = browser_of(paralegal)
    compare = reverse("cases:duplicate_compare", args=[older.pk, newer.pk])
    assert 'id="not-duplicate-form"' in browser.get(compare).content.decode()
    response = dismiss(browser, older, newer)
    assert any("marked as different people" in m for m in messages_of(response))
    assert 'id="duplicates"' not in response.content.decode()  # older's page: none left
    assert not newer.possible_duplicates.exists() and not older.duplicated_by.exists()
    assert NotDuplicate.objects.filter(case_low=older, case_high=newer, by=paralegal).exists()
    for case, other in ((older, newer), (newer, older)):
        audit = case.accesses.get(action=CaseAccess.Action.NOT_DUPLICATE)
        assert audit.user == paralegal and audit.detail == {"other": other.reference}
    page = browser.get(compare).content.decode()
    assert "These two cases were marked as different people." in page
    assert 'id="not-duplicate-form"' not in page


def test_a_dismissed_pair_is_never_suggested_again(paralegal, pair):
    older, newer = pair
    dismiss(browser_of(paralegal), newer, older)  # from either side: one row, lower id first
    assert NotDuplicate.objects.get().case_low_id == older.pk
    # The check a new intake runs, run again for both of them: neither brings the other back.
    assert find_possible_duplicates(newer.client) == []
    assert find_possible_duplicates(older.client) == []
    # Someone else again, with the same name and birthday: both are still suggested for them.
    third = politov(given_names="Dmitriy")
    assert find_possible_duplicates(third.client) == [older, newer]


def test_marking_twice_or_a_case_with_itself_says_so(paralegal, pair):
    older, newer = pair
    browser = browser_of(paralegal)
    dismiss(browser, older, newer)
    again = dismiss(browser, older, newer)
    assert "These two cases were already marked as different people." in messages_of(again)
    itself = dismiss(browser, older, older)
    assert "A case is always the same person as itself." in messages_of(itself)
    assert NotDuplicate.objects.count() == 1
    assert CaseAccess.objects.filter(action="not_duplicate").count() == 2


def test_someone_who_may_only_look_cannot_dismiss(pair):
    viewer = member_of("viewer", "triage duty")
    viewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    older, newer = pair
    response = browser_of(viewer).post(reverse("cases:not_duplicate", args=[older.pk, newer.pk]))
    assert response.status_code == 403
    assert not NotDuplicate.objects.exists()
    assert newer.possible_duplicates.exists()


def test_a_merged_case_is_suggested_as_the_case_it_was_merged_into(lawyer, pair):
    older, newer = pair
    case_merge(keep=older, merge=newer, by=lawyer, keep_version=older.version,
               merge_version=newer.version)  # fmt: skip
    later = politov(given_names="Dmitriy")
    assert find_possible_duplicates(later.client) == [Case.objects.get(pk=older.pk)]


def test_a_dismissal_carries_over_to_the_case_a_merge_kept(lawyer, pair):
    """C is not B; B is A: then C is not A either, and is not suggested for A."""
    older, newer = pair
    other = politov(given_names="Dmitrij")
    NotDuplicate.objects.create(**NotDuplicate.pair(newer.pk, other.pk), by=lawyer)
    case_merge(keep=older, merge=newer, by=lawyer, keep_version=older.version,
               merge_version=newer.version)  # fmt: skip
    assert NotDuplicate.objects.filter(**NotDuplicate.pair(older.pk, other.pk)).exists()
    assert older not in find_possible_duplicates(other.client)


def test_a_merged_case_cannot_be_marked_as_someone_else(lawyer, pair):
    older, newer = pair
    case_merge(keep=older, merge=newer, by=lawyer, keep_version=older.version,
               merge_version=newer.version)  # fmt: skip
    third = politov(given_names="Dmitriy")
    response = dismiss(browser_of(lawyer), third, newer)
    assert (f"{newer.reference} was merged into {older.reference}: compare with that case "
            "instead.") in messages_of(response)  # fmt: skip
    assert not NotDuplicate.objects.exists()
