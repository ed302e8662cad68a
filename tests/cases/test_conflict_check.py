"""The conflict check, recorded: who ran it, when, the names searched and what it found;
listed on the case page; once per click however often the page is reloaded; no names in
URLs or logs."""

import logging

import pytest
from django.urls import reverse

from cases.models import CaseAccess

from ..conftest import browser_of
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory, FamilyMemberFactory

pytestmark = pytest.mark.django_db

STORY = "Меня мобилизуют и отправят на войну."


@pytest.fixture
def case():
    case = CaseFactory(client=ClientFactory(
        given_names="Alexey", family_name="Politov", given_names_native="Алексей",
        family_name_native="Политов",
    ))  # fmt: skip
    AsylumClaimFactory(client=case.client, feared_harm=STORY)
    return case


@pytest.fixture
def relative_elsewhere():
    """Another client's brother, written "Aleksei Politov": the same name, spelt otherwise."""
    other = CaseFactory(client=ClientFactory(
        given_names="Olena", family_name="Shevchenko", given_names_native="Олена",
        family_name_native="Шевченко",
    ))  # fmt: skip
    FamilyMemberFactory(client=other.client, relationship="sibling", given_names="Aleksei",
                        family_name="Politov", date_of_birth=None)  # fmt: skip
    return other


def run(browser, case, follow=True):
    return browser.post(reverse("cases:conflict_check", args=[case.pk]), follow=follow)


def checks(case):
    return CaseAccess.objects.filter(case=case, action=CaseAccess.Action.CONFLICT_CHECK)


def test_running_the_check_records_who_what_was_searched_and_the_result(
    lawyer, case, relative_elsewhere, caplog
):
    browser = browser_of(lawyer)
    with caplog.at_level(logging.DEBUG):
        response = run(browser, case, follow=False)
    location = response["Location"]
    record = checks(case).get()
    assert location == f"{case.get_absolute_url()}?check={record.pk}#conflicts"
    assert record.user == lawyer
    assert record.detail["searched"] == ["Alexey Politov", "Алексей Политов"]
    assert record.detail["count"] == 1
    assert record.detail["matches"] == [
        {"kind": "Family member", "case": relative_elsewhere.reference, "score": 1.0}
    ]
    assert STORY not in str(record.detail)
    for name in ("Politov", "Политов", "Aleksei"):
        assert name not in caplog.text
    page = browser.get(location).content.decode()
    assert "Aleksei Politov" in page and relative_elsewhere.reference in page
    assert f"Run by {lawyer.username}" in page and "1 found" in page


def test_a_reload_does_not_record_again_but_each_click_does(lawyer, case):
    browser = browser_of(lawyer)
    location = run(browser, case, follow=False)["Location"]
    browser.get(location)
    browser.get(location)
    assert checks(case).count() == 1
    run(browser, case)
    assert checks(case).count() == 2


def test_the_older_link_records_the_check_once_however_often_reloaded(lawyer, case):
    browser = browser_of(lawyer)
    for _ in range(3):
        page = browser.get(case.get_absolute_url(), {"conflicts": "1"}).content.decode()
        assert 'id="conflicts"' in page
    assert checks(case).count() == 1


def test_earlier_checks_are_listed_for_everyone_who_may_see_the_case(lawyer, paralegal, case,
                                                                   relative_elsewhere):
    run(browser_of(lawyer), case)
    page = browser_of(paralegal).get(case.get_absolute_url()).content.decode()
    listed = page[page.index('id="conflict-checks"'):]
    listed = listed[:listed.index("</ul>")]
    assert f"by {lawyer.username}: searched Alexey Politov, Алексей Политов; 1 found" in listed
    assert relative_elsewhere.reference in listed
    assert STORY not in page


def test_a_check_id_from_another_case_shows_nothing(lawyer, case, relative_elsewhere):
    browser = browser_of(lawyer)
    run(browser, relative_elsewhere)
    record_pk = checks(relative_elsewhere).get().pk
    page = browser.get(case.get_absolute_url(), {"check": record_pk}).content.decode()
    assert 'id="conflicts"' not in page
    assert browser.get(case.get_absolute_url(), {"check": "9" * 40}).status_code == 200


def test_the_check_needs_a_post(lawyer, case):
    response = browser_of(lawyer).get(reverse("cases:conflict_check", args=[case.pk]))
    assert response.status_code == 405
    assert not checks(case).exists()
