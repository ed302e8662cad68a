"""Issue 16 item 7: dates bounded to what can be true. A hearing, a judge's deadline or a
check-in at most 5 years ahead, nothing recorded before 1900; each refusal in the client's
language beside its field, and nothing moves on."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from cases.models import Case

from ..intake_data import answers, walk
from ..intake_pages import text, the

pytestmark = pytest.mark.django_db

TODAY = date.today()
FIVE_YEARS = TODAY.replace(year=TODAY.year + 5, day=min(TODAY.day, 28))
FAR_AHEAD = "This date is too far ahead. Please check the year."
LONG_AGO = "This date is too long ago. Please check the year."


def russian(message: str) -> str:
    with translation.override("ru"):
        translated = translation.gettext(message)
    assert translated != message
    return translated


def arrival_with(client, values):
    client.cookies["django_language"] = "ru"
    steps = answers()
    walk(client, {k: steps[k] for k in ("consent", "about")})
    return client.post("/intake/step/arrival/", {**steps["arrival"], **values, "action": "next"})


def beside(response, field) -> str:
    return text(the(response.content.decode(), "div", {"id": f"id_status-{field}_error"}))


@pytest.mark.parametrize("field", ["next_hearing_date", "judge_filing_deadline",
                                   "next_ice_check_in", "status_ends_on"])  # fmt: skip
def test_a_date_more_than_5_years_ahead_is_refused_beside_its_field(client, field):
    extra = {"status-ice_check_ins": "on"} if field == "next_ice_check_in" else {}
    late = (FIVE_YEARS + timedelta(days=40)).isoformat()  # e.g. 2031 typed for 2026
    response = arrival_with(client, {**extra, f"status-{field}": late})
    assert response.status_code == 200
    assert russian(FAR_AHEAD) in beside(response, field)
    assert not Case.objects.exists()


def test_a_hearing_4_years_ahead_is_accepted(client):
    later = (TODAY + timedelta(days=4 * 365)).isoformat()
    assert arrival_with(client, {"status-next_hearing_date": later}).status_code == 302


@pytest.mark.parametrize("field", ["notice_to_appear_date", "missed_hearing_on", "status_ends_on"])
def test_a_date_before_1900_is_refused_beside_its_field(client, field):
    extra = {"status-missed_hearing": "on"} if field == "missed_hearing_on" else {}
    response = arrival_with(client, {**extra, f"status-{field}": "0202-03-02"})
    assert response.status_code == 200
    assert russian(LONG_AGO) in beside(response, field)
