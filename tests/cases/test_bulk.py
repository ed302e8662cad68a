"""Bulk triage from the dashboard: every change through the single-case service, audited
per case, and all or nothing: a row the user may not change, a stale row, an unknown case
or too many refuse the whole batch with the cases named."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cases import bulk
from cases.models import Case, CaseAccess, StageChange
from cases.timezones import today

from ..conftest import browser_of
from ..factories import CaseFactory, member_of

pytestmark = pytest.mark.django_db
URL = reverse("cases:bulk")


def post(browser, cases, *, versions=None, follow=True, **fields):
    data = {"next": "stage=new&priority=critical", "cases": [c.pk for c in cases], **fields}
    for case in cases:
        data[f"version-{case.pk}"] = (versions or {}).get(case.pk, case.version)
    return browser.post(URL, data, follow=follow)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def unchanged(cases):
    """The rows as they were: same version, same attorney, stage and consultation."""
    for case in cases:
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.version, fresh.assigned_attorney_id, fresh.stage, fresh.consultation_date) \
            == (case.version, case.assigned_attorney_id, case.stage, case.consultation_date)


def test_an_attorney_assigns_many_cases_at_once_each_audited(client, attorney):
    cases = [CaseFactory(stage="new", priority="critical") for _ in range(3)]
    other = CaseFactory()
    response = post(client, cases, action="assign", attorney=str(attorney.pk), follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/cases/?stage=new&priority=critical"  # the query kept
    for case in cases:
        assert Case.objects.get(pk=case.pk).assigned_attorney == attorney
    rows = CaseAccess.objects.filter(action=CaseAccess.Action.ASSIGN)
    assert sorted(r.case_id for r in rows) == sorted(c.pk for c in cases)
    assert all(r.user == attorney and r.detail == {"attorney": ["", "lawyer"], "bulk": True}
               for r in rows)  # fmt: skip
    assert Case.objects.get(pk=other.pk).assigned_attorney is None
    page = client.get(response["Location"]).content.decode()
    assert "Assigned to lawyer" in page and all(c.reference in page for c in cases)


def test_a_paralegal_may_not_assign_in_bulk_and_is_not_offered_it(paralegal):
    browser = browser_of(paralegal)
    cases = [CaseFactory(), CaseFactory()]
    page = browser.get("/cases/").content.decode()
    bulk_form = page[page.index('id="bulk"'):page.index("</form>", page.index('id="bulk"'))]
    assert 'value="assign"' not in bulk_form and 'value="stage"' in bulk_form
    lawyer = member_of("lawyer", "attorneys")
    response = post(browser, cases, action="assign", attorney=str(lawyer.pk))
    [message] = messages_of(response)
    assert "Only attorneys may assign" in message
    assert all(c.reference in message for c in cases)
    unchanged(cases)
    assert not CaseAccess.objects.filter(action=CaseAccess.Action.ASSIGN).exists()


def test_a_move_not_allowed_from_one_rows_stage_moves_none(client, attorney):
    new = [CaseFactory(stage="new"), CaseFactory(stage="new")]
    ahead = CaseFactory(stage="retained")
    response = post(client, [*new, ahead], action="stage", to_stage="triaged")
    [message] = messages_of(response)
    assert f"{ahead.reference} (now Retained)" in message and "Nothing was changed" in message
    assert new[0].reference not in message
    unchanged([*new, ahead])
    assert not StageChange.objects.exists()


def test_allowed_moves_go_through_the_stage_history(client, attorney):
    cases = [CaseFactory(stage="new"), CaseFactory(stage="new")]
    post(client, cases, action="stage", to_stage="triaged")
    assert set(Case.objects.values_list("stage", flat=True)) == {"triaged"}
    assert StageChange.objects.filter(to_stage="triaged").count() == 2
    assert CaseAccess.objects.filter(action="stage", detail__bulk=True).count() == 2


def test_a_paralegal_may_not_take_a_final_move_in_bulk(paralegal):
    cases = [CaseFactory(stage="consultation")]
    response = post(browser_of(paralegal), cases, action="stage", to_stage="retained")
    assert "Cannot move to Retained" in messages_of(response)[0]
    unchanged(cases)


@pytest.mark.parametrize("to_stage", ["declined", "closed", "filed", "new"])
def test_declining_closing_and_filing_are_never_done_in_bulk(client, attorney, to_stage):
    cases = [CaseFactory(stage="new"), CaseFactory(stage="awaiting")]
    response = post(client, cases, action="stage", to_stage=to_stage)
    assert response.status_code == 200
    assert "to_stage" in response.context["bulk_form"].errors  # beside the field
    unchanged(cases)
    with pytest.raises(bulk.BulkRefused, match="not a move made in bulk"):
        bulk.cases_move_stage(versions={c.pk: c.version for c in cases}, to_stage=to_stage,
                              by=attorney)  # fmt: skip


def test_a_stale_row_refuses_the_whole_batch(client, attorney):
    cases = [CaseFactory(), CaseFactory(), CaseFactory()]
    stale = cases[1]
    Case.objects.filter(pk=stale.pk).update(version=stale.version + 1)  # someone else saved
    response = post(client, cases, action="assign", attorney=str(attorney.pk),
                    versions={stale.pk: stale.version})  # fmt: skip
    [message] = messages_of(response)
    assert "Changed by someone else" in message and stale.reference in message
    assert cases[0].reference not in message
    unchanged([cases[0], cases[2]])
    assert not CaseAccess.objects.filter(action="assign").exists()


def test_more_than_the_bound_or_an_unknown_case_changes_nothing(client, attorney):
    cases = [CaseFactory(), CaseFactory()]
    data = {"action": "assign", "attorney": str(attorney.pk), "next": "",
            "cases": list(range(1, bulk.MAX_BATCH + 2))}  # fmt: skip
    data |= {f"version-{pk}": 1 for pk in data["cases"]}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "at most 200 cases" in response.content.decode()
    unchanged(cases)
    missing = max(c.pk for c in cases) + 1000
    response = client.post(URL, {"action": "assign", "attorney": str(attorney.pk),
                                 "cases": [cases[0].pk, missing], f"version-{cases[0].pk}": 1,
                                 f"version-{missing}": 1}, follow=True)  # fmt: skip
    assert f"No such case: #{missing}" in messages_of(response)[0]
    unchanged(cases)


@pytest.mark.parametrize("selection", [
    {"cases": ["abc"], "version-abc": "1"},
    {"cases": ["5"], "version-5": "x"},
    {"cases": ["9" * 5000]},
    {"cases": [str(2**40)], f"version-{2**40}": "1"},
    {},
])  # fmt: skip
def test_a_selection_that_cannot_be_read_is_a_message_not_a_500(client, attorney, selection):
    case = CaseFactory()
    response = client.post(URL, {"action": "assign", "attorney": str(attorney.pk), **selection})
    assert response.status_code == 200
    assert response.context["bulk_form"].non_field_errors()
    unchanged([case])


def test_a_failure_midway_undoes_the_rows_already_changed(client, attorney, monkeypatch):
    """All or nothing: the second case's service refuses, the first case's change is undone."""
    cases = [CaseFactory(stage="new"), CaseFactory(stage="new")]
    real = bulk.case_move_stage

    def second_refused(*, case, **kwargs):
        if case.pk == cases[1].pk:
            raise bulk.NotAllowed
        return real(case=case, **kwargs)

    monkeypatch.setattr(bulk, "case_move_stage", second_refused)
    response = post(client, cases, action="stage", to_stage="triaged")
    assert f"You may not make that change to {cases[1].reference}" in messages_of(response)[0]
    unchanged(cases)
    assert not StageChange.objects.exists()
    assert not CaseAccess.objects.filter(action="stage").exists()


def test_a_consultation_date_for_many_cases(client, attorney):
    cases = [CaseFactory(stage="triaged"), CaseFactory(stage="new")]
    on = today() + timedelta(days=3)
    post(client, cases, action="consultation", consultation_date=on.isoformat(),
         consultation_time="10:30", consultation_mode="video", attorney=str(attorney.pk))
    for case in cases:
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.consultation_date, fresh.consultation_mode) == (on, "video")
        assert fresh.consultation_attorney == attorney
    rows = CaseAccess.objects.filter(action=CaseAccess.Action.CONSULTATION)
    assert rows.count() == 2 and all(r.detail["bulk"] for r in rows)
    assert rows.first().detail["changes"]["consultation_date"] == ["", on.isoformat()]


@pytest.mark.parametrize("days", [-1, 366, None])
def test_a_consultation_date_out_of_bounds_or_missing_is_said_beside_it(client, attorney, days):
    cases = [CaseFactory(stage="triaged")]
    on = "" if days is None else (today() + timedelta(days=days)).isoformat()
    response = post(client, cases, action="consultation", consultation_date=on)
    assert response.status_code == 200
    assert "consultation_date" in response.context["bulk_form"].errors
    assert "invalid-feedback" in response.content.decode()
    unchanged(cases)


def test_closed_cases_get_no_consultation_in_bulk(client, attorney):
    cases = [CaseFactory(stage="triaged"), CaseFactory(stage="closed")]
    response = post(client, cases, action="consultation",
                    consultation_date=(today() + timedelta(days=2)).isoformat())  # fmt: skip
    assert cases[1].reference in messages_of(response)[0]
    unchanged(cases)


def test_bulk_needs_sign_in_and_a_post(client):
    assert client.post(URL, {}).status_code == 302  # to the sign-in
    lawyer = member_of("lawyer", "attorneys")
    assert browser_of(lawyer).get(URL).status_code == 405


def test_the_rows_carry_a_labelled_checkbox_and_their_version(client, attorney):
    case = CaseFactory(stage="new")
    page = client.get("/cases/").content.decode()
    assert (f'name="cases" value="{case.pk}" form="bulk" id="select-new-{case.pk}" '
            f'aria-label="Select {case.reference}"') in page  # fmt: skip
    assert f'name="version-{case.pk}" value="{case.version}" form="bulk"' in page
