"""New-intake e-mails in a surge: critical intakes at once to the attorneys on triage duty,
the others in one digest every TRIAGE_DIGEST_HOURS, each person's own choice; each intake
reaches each recipient exactly once, whatever happens to the digest's runs."""

import re
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from cases import alerts
from cases.models import DigestEntry, StaffSettings
from cases.tasks import send_triage_digests
from notifications.models import Email

from ..conftest import browser_of
from ..factories import STORY
from ..factories import opened_intake as intake
from ..worker import ROOT


def on_duty(name: str, choice: str | None = None) -> User:
    user = User.objects.create_user(name, f"{name}@firm.example", "x" * 16)
    user.groups.add(Group.objects.get(name="triage duty"), Group.objects.get(name="attorneys"))
    if choice:
        StaffSettings.objects.create(user=user, triage_alerts=choice)
    return user


def checked(page: str) -> list[str]:
    return re.findall(r'name="triage_alerts" value="(\w+)"[^>]*\bchecked', page)


def alerts_to(address: str):
    return Email.objects.filter(kind="triage", to=address)


def digest_text(address: str) -> str:
    return alerts_to(address).get(case_id=None).body_text


def test_the_rule():
    assert alerts.alert_at_once("critical", "digest")
    assert alerts.alert_at_once("critical", "immediate")
    assert alerts.alert_at_once("high", "immediate")
    assert alerts.alert_at_once("normal", "immediate")
    assert not alerts.alert_at_once("high", "digest")
    assert not alerts.alert_at_once("normal", "digest")


@pytest.mark.django_db
class TestWhoGetsWhat:
    @pytest.fixture(autouse=True)
    def _people(self, reference_data):
        self.ana = on_duty("ana")  # never chose: the default, digest
        self.ben = on_duty("ben", "immediate")
        self.dora = on_duty("dora", "digest")

    def test_a_critical_intake_reaches_everyone_on_duty_at_once(self):
        case = intake("critical")
        for person in (self.ana, self.ben, self.dora):
            alert = alerts_to(person.email).get()
            assert alert.case_id == case.pk
            assert alert.subject == f"[CRITICAL] New intake {case.reference}"
        assert not DigestEntry.objects.exists()

    @pytest.mark.parametrize("level", ["high", "normal"])
    def test_the_others_reach_immediate_at_once_and_the_rest_in_their_digest(self, level):
        case = intake(level)
        alert = alerts_to(self.ben.email).get()
        assert alert.subject == f"[{level.upper()}] New intake {case.reference}"
        assert not alerts_to(self.ana.email).exists() and not alerts_to(self.dora.email).exists()
        waiting = DigestEntry.objects.filter(case=case, digested_at=None)
        assert sorted(waiting.values_list("to", flat=True)) == [self.ana.email, self.dora.email]
        # The client's confirmation goes out at once whatever the staff chose.
        assert Email.objects.filter(kind="confirmation", case_id=case.pk).count() == 1

    def test_someone_off_duty_or_inactive_gets_nothing(self):
        self.dora.groups.remove(Group.objects.get(name="triage duty"))
        self.ben.is_active = False
        self.ben.save()
        intake("critical")
        intake("high", 1)
        assert set(Email.objects.filter(kind="triage").values_list("to", flat=True)) == {
            self.ana.email
        }
        assert set(DigestEntry.objects.values_list("to", flat=True)) == {self.ana.email}


@pytest.mark.django_db
def test_with_nobody_on_duty_the_fallback_addresses_get_critical_at_once_and_a_digest(
    reference_data, settings
):
    settings.TRIAGE_FALLBACK_EMAILS = ["duty@firm.example", "intake@firm.example"]
    critical, high = intake("critical"), intake("high", 1)
    for address in settings.TRIAGE_FALLBACK_EMAILS:
        assert list(alerts_to(address).values_list("case_id", flat=True)) == [critical.pk]
    assert alerts.triage_digests_run() == 2
    for address in settings.TRIAGE_FALLBACK_EMAILS:
        text = digest_text(address)
        assert high.reference in text and critical.reference not in text


@pytest.mark.django_db
def test_the_digest_has_one_line_each_and_nothing_sensitive(reference_data, settings):
    settings.SITE_URL = "https://cases.firm.example/"
    ana = on_duty("ana")
    morning = timezone.localtime().replace(hour=9, minute=5, second=0, microsecond=0)
    with time_machine.travel(morning, tick=False):
        high = intake("high", 0)
    with time_machine.travel(morning.replace(hour=11, minute=40), tick=False):
        normal = intake("normal", 1)
        assert alerts.triage_digests_run() == 1
    email = alerts_to(ana.email).get()
    assert email.subject == f"Triage digest: 2 new intakes, {morning:%Y-%m-%d} 09:05-11:40"
    high.refresh_from_db()
    normal.refresh_from_db()
    lines = email.body_text
    # Most urgent first; one line each: reference, level, the first reason, the next
    # deadline and its date, nationality and language, the link from SITE_URL.
    assert lines.index(high.reference) < lines.index(normal.reference)
    assert f"- {high.reference} HIGH: {high.priority_reasons[0]}" in lines
    assert (f"Next deadline: One-year filing deadline {high.next_deadline_date:%Y-%m-%d}; "
            "Russia, Russian") in lines  # fmt: skip
    assert f"https://cases.firm.example/cases/{high.pk}/" in lines
    assert f"- {normal.reference} NORMAL: no urgent reason found" in lines
    assert lines.count(high.reference) == 1 and lines.count(normal.reference) == 1
    assert "https://cases.firm.example/cases/alerts/" in lines
    for secret in (STORY, "Politov", "Oliynyk", "Dmitry", "Oleksandr", "client0@"):
        assert secret not in lines and secret not in email.subject
    assert not email.body_html


@pytest.mark.django_db
def test_run_twice_nothing_new_no_email(reference_data):
    ana = on_duty("ana")
    assert alerts.triage_digests_run() == 0  # nothing waiting: no e-mail at all
    intake("high")
    assert alerts.triage_digests_run() == 1
    assert alerts.triage_digests_run() == 0
    assert alerts_to(ana.email).count() == 1
    assert not DigestEntry.objects.filter(digested_at=None).exists()


@pytest.mark.django_db
def test_a_late_run_sends_everything_waiting_once(reference_data):
    """Beat was down for three windows: the next run lists all twelve hours' intakes."""
    ana = on_duty("ana")
    start = timezone.localtime().replace(hour=0, minute=30, second=0, microsecond=0)
    cases = []
    for hour in range(12):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            cases.append(intake("high" if hour % 2 else "normal", hour))
    with time_machine.travel(start + timedelta(hours=13), tick=False):
        assert alerts.triage_digests_run() == 1
    text = digest_text(ana.email)
    assert all(text.count(case.reference) == 1 for case in cases)
    assert alerts_to(ana.email).get().subject.startswith("Triage digest: 12 new intakes, ")
    assert alerts.triage_digests_run() == 0


@pytest.mark.django_db
def test_a_run_that_dies_midway_leaves_every_intake_for_the_next(reference_data, monkeypatch):
    ana, dora = on_duty("ana"), on_duty("dora")
    cases = [intake("high", n) for n in range(3)]
    real_queue = alerts.email_queue

    def dies_after_writing(**kwargs):
        real_queue(**kwargs)
        raise MemoryError("worker killed")  # after the outbox row, before the marks

    monkeypatch.setattr(alerts, "email_queue", dies_after_writing)
    with pytest.raises(MemoryError):
        alerts.triage_digests_run()
    assert not Email.objects.filter(kind="triage").exists()
    assert DigestEntry.objects.filter(digested_at=None).count() == 6
    monkeypatch.setattr(alerts, "email_queue", real_queue)
    assert alerts.triage_digests_run() == 2
    for person in (ana, dora):
        text = digest_text(person.email)
        assert all(text.count(case.reference) == 1 for case in cases)


@pytest.mark.django_db
def test_a_changed_choice_loses_and_doubles_nothing(reference_data):
    ana = on_duty("ana")
    waiting = intake("high", 0)
    browser = browser_of(ana)
    browser.post("/cases/alerts/", {"triage_alerts": "immediate"})
    at_once = intake("high", 1)
    assert list(alerts_to(ana.email).values_list("case_id", flat=True)) == [at_once.pk]
    assert alerts.triage_digests_run() == 1
    text = digest_text(ana.email)
    assert waiting.reference in text and at_once.reference not in text
    browser.post("/cases/alerts/", {"triage_alerts": "digest"})
    later = intake("normal", 2)
    assert alerts.triage_digests_run() == 1
    newest = alerts_to(ana.email).filter(case_id=None).latest("pk").body_text
    assert later.reference in newest
    assert waiting.reference not in newest and at_once.reference not in newest


@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_intake_once(reference_data, monkeypatch):
    """A run is slow (a late beat beside the next); another starts meanwhile, and an intake
    arrives between them: each intake is in exactly one digest."""
    ana = on_duty("ana")
    first = [intake("high", n) for n in range(3)]
    inside, release = threading.Event(), threading.Event()
    real_render = alerts.email_render

    def slow_render(*args, **kwargs):
        if threading.current_thread().name == "slow-run":
            inside.set()
            release.wait(20)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(alerts, "email_render", slow_render)
    outcome = {}

    def slow_run():
        try:
            outcome["slow"] = alerts.triage_digests_run()
        finally:
            connection.close()

    thread = threading.Thread(target=slow_run, name="slow-run")
    thread.start()
    assert inside.wait(20)
    arrived = intake("normal", 9)
    assert alerts.triage_digests_run() == 1  # only the new intake: the others are held
    release.set()
    thread.join(30)
    assert outcome["slow"] == 1
    digests = list(alerts_to(ana.email).filter(case_id=None).order_by("pk"))
    assert len(digests) == 2
    everything = "".join(d.body_text for d in digests)
    for case in (*first, arrived):
        assert everything.count(case.reference) == 1
    assert not DigestEntry.objects.filter(digested_at=None).exists()


@pytest.mark.django_db
class TestSettingsPage:
    def test_the_page_shows_the_choice_and_saves_it(self, reference_data, attorney, client):
        page = client.get("/cases/")
        assert 'href="/cases/alerts/"' in page.content.decode()  # in the staff nav
        page = client.get("/cases/alerts/").content.decode()
        assert 'id="id_triage_alerts_0"' in page and "every 4 hours" in page
        assert checked(page) == ["digest"]
        assert "You are not on triage duty" in page
        before = timezone.now()
        response = client.post("/cases/alerts/", {"triage_alerts": "immediate"}, follow=True)
        assert "Saved: every new intake will reach you at once." in response.content.decode()
        saved = StaffSettings.objects.get(user=attorney)
        assert saved.triage_alerts == "immediate" and saved.updated_at >= before
        page = client.get("/cases/alerts/").content.decode()
        assert checked(page) == ["immediate"]
        assert "Last changed by you on" in page

    @pytest.mark.parametrize("value", ["hourly", "", "x" * 5000])
    def test_a_bad_value_is_refused_beside_the_field(self, reference_data, attorney, client,
                                                     value):  # fmt: skip
        response = client.post("/cases/alerts/", {"triage_alerts": value})
        assert response.status_code == 200
        page = response.content.decode()
        assert "invalid-feedback" in page
        assert ("Choose how new intakes reach you." if not value
                else "Choose one of these two ways.") in page  # fmt: skip
        assert not StaffSettings.objects.exists()

    def test_each_user_sets_only_their_own(self, reference_data, client, attorney):
        other = on_duty("ben", "immediate")
        client.post("/cases/alerts/", {"triage_alerts": "digest", "user": other.pk})
        assert StaffSettings.objects.get(user=other).triage_alerts == "immediate"
        assert StaffSettings.objects.get(user=attorney).triage_alerts == "digest"

    def test_signed_out_is_sent_to_sign_in(self, reference_data, client):
        response = client.get("/cases/alerts/")
        assert response["Location"] == "/staff/login/?next=/cases/alerts/"


def test_the_beat_runs_the_digest_every_n_hours(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["triage-digest"]
    assert entry["task"] == "cases.tasks.send_triage_digests"
    assert sorted(entry["schedule"].hour) == [0, 4, 8, 12, 16, 20]
    assert entry["schedule"].minute == {0}


@pytest.mark.parametrize(("value", "ok"), [("6", True), ("0", False), ("25", False)])
def test_the_digest_hours_setting_is_bounded(value, ok):
    run = subprocess.run(
        [sys.executable, "-c", "import config.settings.base as s; "
         "print(sorted(s.CELERY_BEAT_SCHEDULE['triage-digest']['schedule'].hour))"],
        cwd=ROOT, env={"TRIAGE_DIGEST_HOURS": value, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True,
    )  # fmt: skip
    if ok:
        assert run.stdout.strip() == "[0, 6, 12, 18]", run.stderr
    else:
        assert run.returncode != 0
        assert "TRIAGE_DIGEST_HOURS must be a whole number from 1 to 24." in run.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
def test_the_surge_morning(reference_data, smtp):
    """40 intakes arrive, 8 of them critical; one attorney on duty with the default choice.
    The SMTP server gets one alert per critical intake, then one digest listing the other 32
    once each (the digest task run twice on the worker), and the clients' confirmations."""
    ana = on_duty("ana")
    levels = ["critical" if n % 5 == 0 else "high" if n % 2 else "normal" for n in range(40)]
    cases = [intake(level, n) for n, level in enumerate(levels)]
    critical = [c for c in cases if c.priority == "critical"]
    others = [c for c in cases if c.priority != "critical"]
    assert len(critical) == 8 and len(others) == 32

    smtp.wait_for(40 + 8, timeout=60)
    time.sleep(1.5)
    to_ana = [m for m in smtp.messages if m["To"] == ana.email]
    assert sorted(m["Subject"] for m in to_ana) == sorted(
        f"[CRITICAL] New intake {c.reference}" for c in critical
    )
    send_triage_digests.delay()
    send_triage_digests.delay()  # a redelivered or doubled beat: still one digest
    smtp.wait_for(40 + 8 + 1, timeout=30)
    time.sleep(2)
    assert len(smtp.messages) == 40 + 8 + 1
    to_ana = [m for m in smtp.messages if m["To"] == ana.email]
    assert len(to_ana) == 9  # the e-mail count of the surge morning for the attorney
    digest = next(m for m in to_ana if m["Subject"].startswith("Triage digest: 32 new intakes"))
    text = digest.get_body(preferencelist=("plain",)).get_content()
    for case in others:
        assert text.count(case.reference) == 1, case.reference
    for case in critical:
        assert case.reference not in text
    assert STORY not in digest.as_string() and "Politov" not in digest.as_string()
    confirmations = [m for m in smtp.messages if m["To"].endswith("@example.org")]
    assert sorted(m["To"] for m in confirmations) == sorted(f"client{n}@example.org"
                                                            for n in range(40))  # fmt: skip
