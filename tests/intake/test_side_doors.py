"""Issue 16, the intake's side doors: a shared resume link, oversized drafts, a shared phone,
a replayed page stamp and a rate limit that opened when Redis was down."""

import json
import os
import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client as Browser
from django.utils import timezone, translation

from cases.models import Case, Document
from intake import antiautomation
from intake.models import IntakeDraft

from ..intake_data import answers, walk
from ..mailserver import deliver_outbox

pytestmark = pytest.mark.django_db

UNREACHABLE = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
               "LOCATION": "redis://127.0.0.1:1/0"}  # fmt: skip


def saved_link(browser, steps=("consent", "about")) -> str:
    data = answers()
    walk(browser, {slug: data[slug] for slug in steps})
    assert browser.post("/intake/save/", {"email": "dmitry@example.org"}).status_code == 200
    assert deliver_outbox() == 1
    return re.search(r"http://testserver(/intake/resume/\S+/)", mail.outbox[-1].body).group(1)


def pass_check(browser, link, **answer):
    assert browser.get(link)["Location"] == "/intake/continue/"
    return browser.post("/intake/continue/", answer or {"date_of_birth": "1990-05-17"})


# Item 3: a shared resume link.

def test_opening_the_link_cuts_off_the_session_that_sent_it():
    attacker, victim = Browser(), Browser()
    link = saved_link(attacker)
    assert pass_check(victim, link)["Location"] == "/intake/step/arrival/"
    victim.post("/intake/step/about/", {**answers()["about"], "about-passport_number": "999888777",
                                        "action": "next"})  # fmt: skip
    cut_off = attacker.get("/intake/step/about/")
    assert "This link does not work" in cut_off.content.decode()
    for url in ("/intake/step/about/", "/intake/step/review/", "/intake/save/"):
        page = attacker.get(url, follow=True).content.decode()
        assert "999888777" not in page and "Politov" not in page
    assert "999888777" in victim.get("/intake/step/about/").content.decode()


def test_a_link_works_once():
    link = saved_link(Browser())
    pass_check(Browser(), link)
    again = Browser().get(link)
    assert again.status_code == 404 and "This link does not work" in again.content.decode()


def test_a_new_device_sees_no_answer_before_the_date_of_birth():
    link = saved_link(Browser())
    stranger = Browser()
    assert stranger.get(link)["Location"] == "/intake/continue/"
    for url in ("/intake/step/about/", "/intake/step/review/"):
        assert "Politov" not in stranger.get(url, follow=True).content.decode()
    wrong = stranger.post("/intake/continue/", {"date_of_birth": "1991-05-17"})
    assert wrong.status_code == 200
    page = wrong.content.decode()
    assert "does not match" in page and "Politov" not in page
    assert "Politov" not in stranger.get("/intake/step/about/", follow=True).content.decode()


def test_wrong_dates_of_birth_are_limited(settings):
    settings.INTAKE_RESUME_CHECK_TRIES = 5
    link = saved_link(Browser())
    stranger = Browser()
    stranger.get(link)
    for _ in range(4):
        wrong = stranger.post("/intake/continue/", {"date_of_birth": "1980-01-01"})
        assert wrong.status_code == 200
    locked = stranger.post("/intake/continue/", {"date_of_birth": "1980-01-01"})
    assert locked.status_code == 404 and "This link does not work" in locked.content.decode()
    # Even the right answer now: the draft is shut to this link.
    right = stranger.post("/intake/continue/", {"date_of_birth": "1990-05-17"}, follow=True)
    assert "Politov" not in right.content.decode()


def consent_only_link(email="Dmitry@Example.org") -> str:
    browser = Browser()
    walk(browser, {"consent": answers()["consent"]})
    browser.post("/intake/save/", {"email": email})
    deliver_outbox()
    return re.search(r"http://testserver(/intake/resume/\S+/)", mail.outbox[-1].body).group(1)


def test_without_a_date_of_birth_the_address_the_link_went_to_is_asked():
    stranger = Browser()
    stranger.get(consent_only_link())
    page = stranger.get("/intake/continue/").content.decode()
    assert 'name="email"' in page and 'name="date_of_birth"' not in page
    wrong = stranger.post("/intake/continue/", {"email": "other@example.org"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    owner = Browser()
    assert pass_check(owner, consent_only_link(), email=" dmitry@example.ORG")["Location"] == (
        "/intake/step/about/")


def test_the_save_page_warns_against_mailboxes_others_can_read():
    for language in ("ru", "uk", "es", "en"):
        browser = Browser()
        browser.cookies["django_language"] = language
        walk(browser, {"consent": answers()["consent"]})
        page = browser.get("/intake/save/").content.decode()
        with translation.override(language):
            warning = translation.gettext(
                "Please use an e-mail account that only you can read. Your government, an "
                "employer or the people you fear may be able to read some accounts (for "
                "example Mail.ru, Yandex, or a work address)."
            )
        assert "Mail.ru" in warning and warning in page.replace("&#x27;", "'")
        if language != "en":
            assert not warning.startswith("Please use")


# Item 6: storage and CPU exhaustion.

def test_a_huge_form_count_is_refused_before_any_row_is_built():
    browser = Browser()
    walk(browser, {slug: answers()[slug] for slug in ("consent", "about", "arrival")})
    family = {**answers()["family"], "family-TOTAL_FORMS": "10000"}
    refused = browser.post("/intake/step/family/", {**family, "action": "next"})
    assert refused.status_code == 400
    assert "at most 30" in refused.content.decode()
    assert "family" not in IntakeDraft.objects.get().data
    added = browser.post("/intake/step/family/", {**answers()["family"], "family-TOTAL_FORMS": "30",
                                                  "action": "add:family"}, follow=True)  # fmt: skip
    assert "You cannot add more here" in added.content.decode()
    assert IntakeDraft.objects.get().data["family"]["family-TOTAL_FORMS"] == ["30"]


def test_only_the_steps_own_fields_are_kept_each_within_its_length():
    browser = Browser()
    walk(browser, {"consent": answers()["consent"]})
    about = {**answers()["about"], "junk-field": "x" * 20_000, "about-city": "y" * 5_000}
    page = browser.post("/intake/step/about/", {**about, "action": "next"})
    assert page.status_code == 200  # the city is too long: the form says so
    stored = IntakeDraft.objects.get().data["about"]
    assert "junk-field" not in stored
    assert stored["about-city"] == [""] and stored["about-family_name"] == ["Politov"]
    assert len(json.dumps(IntakeDraft.objects.get().data)) < 5_000


def test_a_draft_over_its_size_cap_is_refused_with_a_message(settings):
    settings.INTAKE_DRAFT_MAX_BYTES = 4_000
    browser = Browser()
    walk(browser, {slug: answers()[slug] for slug in ("consent", "about", "arrival", "family")})
    claim = {**answers()["claim"], "claim-feared_harm": "страх " * 600}
    refused = browser.post("/intake/step/claim/", {**claim, "action": "next"})
    assert refused.status_code == 400
    assert "too long to save" in refused.content.decode()
    assert "claim" not in IntakeDraft.objects.get().data


def test_old_drafts_and_their_files_are_purged_and_new_ones_kept(
        time_machine, django_capture_on_commit_callbacks):  # fmt: skip
    time_machine.move_to(timezone.now() - timedelta(days=100), tick=False)
    old = Browser()
    walk(old, {slug: answers()[slug] for slug in ("consent", "about")})
    old_draft = IntakeDraft.objects.get()
    document = Document.objects.create(kind="other", file=_file("old.pdf"), original_name="a.pdf",
                                       content_type="application/pdf", size=4)  # fmt: skip
    old_draft.documents.add(document)
    path = document.file.path
    submitted = Browser()
    walk(submitted, {slug: answers()[slug] for slug in ("consent", "about", "arrival", "family",
                                                        "claim")})  # fmt: skip
    IntakeDraft.objects.get(pk=submitted.session["intake_draft_id"]).documents.add(
        Document.objects.create(kind="other", file=_file("kept.pdf"), original_name="b.pdf",
                                content_type="application/pdf", size=4))  # fmt: skip
    walk(submitted, {"documents": {}})
    assert submitted.post("/intake/step/review/", {"action": "submit"}).status_code == 302
    time_machine.move_to(timezone.now() + timedelta(days=99), tick=False)
    recent = Browser()
    walk(recent, {"consent": answers()["consent"]})
    time_machine.move_to(timezone.now() + timedelta(days=1), tick=False)

    from intake.tasks import purge_drafts

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_drafts() == 2
    assert purge_drafts() == 0  # safe to run twice
    assert not Session.objects.filter(expire_date__lt=timezone.now()).exists()
    assert not IntakeDraft.objects.filter(pk=old_draft.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not os.path.exists(path)
    # The submitted draft's copy of the answers is gone; the case and its files are not.
    assert not IntakeDraft.objects.filter(submitted_at__isnull=False).exists()
    case = Case.objects.get()
    assert case.client.family_name == "Politov" and case.client.documents.count() == 1
    assert os.path.exists(case.client.documents.get().file.path)
    assert IntakeDraft.objects.get().data == {"consent": answers()["consent"] and {
        "consent-consent": ["on"], "consent-no_relationship_yet": ["on"]}}  # the recent one


def _file(name):
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF", name=name)


def test_the_purge_runs_from_beat():
    entry = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values()
             if e["task"] == "intake.tasks.purge_drafts"]  # fmt: skip
    assert len(entry) == 1
    assert django_settings.INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS < (
        django_settings.INTAKE_DRAFT_RETENTION_DAYS)


# A shared phone.

def test_intake_pages_are_never_cached():
    browser = Browser()
    walk(browser, {"consent": answers()["consent"]})
    urls = ["/intake/", "/intake/step/about/", "/intake/save/", "/intake/resume/x/",
            "/intake/done/", "/intake/continue/"]  # fmt: skip
    for url in urls:
        assert "no-store" in browser.get(url).get("Cache-Control", ""), url


def test_an_idle_intake_session_hides_the_answers(time_machine, settings):
    settings.INTAKE_IDLE_SECONDS = 30 * 60
    time_machine.move_to(timezone.now(), tick=False)
    browser = Browser()
    walk(browser, {slug: answers()[slug] for slug in ("consent", "about")})
    assert "Politov" in browser.get("/intake/step/about/").content.decode()
    # Nor does the session row outlive the hour (a staff session's 12 hours, before).
    row = Session.objects.get(session_key=browser.session.session_key)
    assert row.expire_date <= timezone.now() + timedelta(hours=1)
    time_machine.shift(timedelta(minutes=31))
    page = browser.get("/intake/step/about/", follow=True).content.decode()
    assert "Politov" not in page
    assert "without activity" in page
    assert IntakeDraft.objects.get().data["about"]["about-family_name"] == ["Politov"]
    assert "Politov" not in browser.get("/intake/step/about/", follow=True).content.decode()


# The page stamp.

def test_a_stamp_is_bound_to_its_session_and_used_once(settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    a, b = Browser(), Browser()
    for browser in (a, b):
        walk(browser, {"consent": answers()["consent"]})
    settings.INTAKE_MIN_SECONDS_PER_PAGE = 2
    stamp_a = re.search(r'name="form_stamp" value="([^"]+)"',
                        a.get("/intake/step/about/").content.decode()).group(1)  # fmt: skip
    time_machine.shift(timedelta(seconds=10))
    posted = {**answers()["about"], "action": "next", "form_stamp": stamp_a}
    assert b.post("/intake/step/about/", posted).status_code == 200  # A's stamp in B
    assert a.post("/intake/step/about/", posted).status_code == 302
    assert a.post("/intake/step/about/", posted).status_code == 200  # replayed


# Redis down.

@pytest.fixture
def _fallback_counts():
    """The per-process counts start and end empty: other tests of this process count too."""
    reset = getattr(antiautomation, "fallback_reset", lambda: None)
    reset()
    yield
    reset()


@pytest.mark.usefixtures("_fallback_counts")
def test_with_redis_down_the_submit_limit_still_holds(settings, caplog):
    settings.CACHES = {**settings.CACHES, "unreachable": UNREACHABLE}
    settings.RATELIMIT_USE_CACHE = "unreachable"
    for _ in range(10):
        browser = Browser()
        walk(browser, answers())
        assert browser.post("/intake/step/review/", {"action": "submit"}).status_code == 302
    browser = Browser()
    walk(browser, answers())
    assert browser.post("/intake/step/review/", {"action": "submit"}).status_code == 429
    assert Case.objects.count() == 10
    warned = [r for r in caplog.records if r.name == "intake.antiautomation"]
    assert warned and all("Politov" not in r.getMessage() for r in warned)
