"""The intake's rate limits (django-ratelimit): a friendly page when used up, never a lost
answer, and a client let through rather than turned away when the cache is unreachable."""

import logging

import pytest

from cases.models import Case
from intake.models import IntakeDraft

from ..intake_data import answers, walk

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused, as when Redis is down.
UNREACHABLE = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
               "LOCATION": "redis://127.0.0.1:1/0"}  # fmt: skip


def test_a_step_over_the_limit_gets_the_friendly_page_and_its_answers_are_kept(client, settings):
    """The limit is counted per address; the refused step is saved before the refusal."""
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "step": "1/h"}
    walk(client, {"consent": answers()["consent"]})
    refused = client.post("/intake/step/about/", {**answers()["about"], "action": "next"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Please wait a little" in page and "Your answers are saved" in page
    assert IntakeDraft.objects.get().data["about"]["about-family_name"] == ["Politov"]


def test_each_address_has_its_own_allowance(client, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "resume": "1/h"}
    assert client.get("/intake/resume/guess/").status_code == 404
    assert client.get("/intake/resume/guess/").status_code == 429
    assert client.get("/intake/resume/guess/", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_with_the_counting_cache_unreachable_a_whole_intake_goes_through(client, settings,
                                                                         caplog):  # fmt: skip
    """A cache that refuses connections: every step, the submit and a resume link still
    answer as usual (never a 500), and each allowance skipped is logged as a warning."""
    settings.CACHES = {**settings.CACHES, "unreachable": UNREACHABLE}
    settings.RATELIMIT_USE_CACHE = "unreachable"
    caplog.set_level(logging.WARNING, logger="intake.antiautomation")
    walk(client, answers())
    assert client.post("/intake/step/review/", {"action": "submit"}).status_code == 302
    assert Case.objects.count() == 1
    assert client.get("/intake/resume/guess/").status_code == 404
    warned = [r.getMessage() for r in caplog.records if r.name == "intake.antiautomation"]
    assert "rate limit cache unavailable; allowing the submit request" in warned
    assert "rate limit cache unavailable; allowing the resume request" in warned
