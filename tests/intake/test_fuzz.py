"""Thousands of hostile submissions through the real wizard views: never a server error,
never a half-saved intake."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases.models import AsylumClaim, Case, Client

from ..intake_data import answers

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert(1)</script>", "'; DROP TABLE intake_client; --", "\x00", "\u202egnp.exe",
    "2026-02-30", "0000-00-00", "-1", "９９９", "1990-13-45", "A" * 30_000, "", " ",
    "=HYPERLINK(\"http://x\")", "on", "off", "true", "999999999999999999999", "NaN",
    "Дмитрий", "ダミー", "🙂" * 500, "\r\n\t", "../../etc/passwd", "%00", "{{ 7*7 }}",
]  # fmt: skip
hostile = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))


def keys_for(step: str) -> list[str]:
    base = {
        "about": ["about-family_name", "about-given_names", "about-date_of_birth", "about-sex",
                  "about-nationality", "about-email", "about-phone", "about-preferred_contact",
                  "about-languages", "about-preferred_language", "about-other_names"],
        "arrival": ["entries-TOTAL_FORMS", "entries-INITIAL_FORMS", "entries-0-date",
                    "entries-0-place", "entries-0-manner", "entries-0-visa_type",
                    "status-current_status", "status-detained", "status-detention_facility",
                    "status-in_removal_proceedings", "status-next_hearing_date",
                    "status-hearing_court", "status-a_number", "status-notice_to_appear_date"],
        "family": ["family-TOTAL_FORMS", "family-INITIAL_FORMS", "family-0-relationship",
                   "family-0-family_name", "family-0-given_names", "family-0-date_of_birth",
                   "family-0-marital_status", "family-5-given_names", "family-MAX_NUM_FORMS"],
        "claim": ["claim-feared_harm", "claim-past_harm", "claim-reported",
                  "claim-ground_race", "claim-evidence", "claim-harmed_by"],
    }  # fmt: skip
    return base[step]


def fuzz(step):
    payload = st.dictionaries(
        keys=st.sampled_from(keys_for(step)),
        values=st.one_of(hostile, st.lists(hostile, min_size=2, max_size=3)),
        max_size=len(keys_for(step)),
    )
    start = st.sampled_from(["keep", "replace"])
    return st.tuples(start, payload)


def check(client, step, mode, payload):
    """Post the hostile step into an otherwise complete draft, then try to submit it."""
    steps = answers()
    if "review" not in client.session.get("fuzz_ready", ""):
        client.post("/intake/", {"action": "new"})
        for slug, data in steps.items():
            client.post(f"/intake/step/{slug}/", {**data, "action": "next"})
        session = client.session
        session["fuzz_ready"] = "review"
        session.save()
    base = steps[step] if mode == "keep" else {}
    response = client.post(f"/intake/step/{step}/", {**base, **payload, "action": "next"})
    assert response.status_code < 500
    submitted = client.post("/intake/step/review/", {"action": "submit"})
    assert submitted.status_code < 500
    # All or nothing: every client has its case and its claim.
    assert Client.objects.count() == Case.objects.count() == AsylumClaim.objects.count()
    if submitted.get("Location") == "/intake/done/":  # accepted: the next one starts afresh
        session = client.session
        session["fuzz_ready"] = ""
        session.save()


SETTINGS = hypothesis_settings(
    max_examples=500, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@SETTINGS
@given(case=fuzz("about"))
def test_hostile_about_you(client, case):
    check(client, "about", *case)


@SETTINGS
@given(case=fuzz("arrival"))
def test_hostile_arrival(client, case):
    check(client, "arrival", *case)


@SETTINGS
@given(case=fuzz("family"))
def test_hostile_family(client, case):
    check(client, "family", *case)


@SETTINGS
@given(case=fuzz("claim"))
def test_hostile_claim(client, case):
    check(client, "claim", *case)
