"""The surge morning in a real Chromium, on the real worker and SMTP server: forty intakes
arrive (eight critical) among old overdue, closed and declined cases; an attorney on duty
opens the dashboard, finds every critical new intake on the first screen, selects them,
assigns them to themself in one go, and the audit trail has one assignment per case. The
attorney's inbox holds one alert per critical intake, then one digest of the others.
axe-core finds nothing on the queue, the open filters and the bulk form."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.models import Case, CaseAccess
from cases.tasks import send_triage_digests
from cases.timezones import today

from ..factories import CaseFactory, ClientFactory, opened_intake
from .test_staff_browser import axe_violations, sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
SHOTS = Path("/tmp/issue15")
VIEWPORT = {"width": 1280, "height": 900}


def case(stage, priority, days, name, reasons=()):
    when = None if days is None else today() + timedelta(days=days)
    return CaseFactory(
        stage=stage, priority=priority, assessed_priority=priority,
        priority_reasons=list(reasons), next_deadline_date=when,
        next_deadline_kind="hearing" if when else "",
        client=ClientFactory(given_names=name, family_name="Example", given_names_native="",
                             family_name_native=""),
    )  # fmt: skip


def old_caseload() -> None:
    """28 cases from before: 12 overdue for months, 4 due soon, 6 closed and 6 declined
    (overdue and critical too)."""
    for i in range(12):
        case("triaged", "critical", -300 + i, f"Overdue{i}", ["Hearing passed"])
    for i in range(4):
        case("retained", "high", 5 + i, f"Soon{i}")
    for i in range(6):
        case("closed", "critical", -200 - i, f"Closed{i}")
        case("declined", "critical", -100 - i, f"Declined{i}")


def surge() -> list[Case]:
    """40 intakes through the submit's own service: every fifth one critical (detained)."""
    levels = ["critical" if n % 5 == 0 else "high" if n % 2 else "normal" for n in range(40)]
    return [opened_intake(level, n) for n, level in enumerate(levels)]


@pytest.mark.usefixtures("celery_worker_process")
def test_the_surge_morning(chromium, live_server, smtp):
    lawyer = user_in("attorneys", "lawyer")
    lawyer.groups.add(Group.objects.get(name="triage duty"))
    old_caseload()
    intakes = surge()
    critical = [c for c in intakes if c.priority == "critical"]
    others = [c for c in intakes if c.priority != "critical"]
    assert len(critical) == 8
    smtp.wait_for(40 + 8, timeout=60)  # the clients' confirmations and the critical alerts
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "lawyer")

    # Every critical new intake on the first screen, in the first section, no scrolling.
    expect(page.locator("#queue-new .queue-count")).to_have_text("40")
    new_rows = page.locator("#queue-new tbody tr")
    first = []
    for i in range(len(critical)):
        row = new_rows.nth(i)
        expect(row).to_contain_text("Detained")
        box = row.bounding_box()
        assert box["y"] + box["height"] <= VIEWPORT["height"], (i, box)
        first.append(row.inner_text().split()[0])
    assert sorted(first) == sorted(c.reference for c in critical)
    expect(page.locator("#queue-overdue .queue-count")).to_have_text("12")
    queue = page.inner_text("#queue")
    assert "Closed0" not in queue and "Declined0" not in queue
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "queue.png"))
    page.screenshot(path=str(SHOTS / "queue-full.png"), full_page=True)
    found = {"queue": axe_violations(page)}
    page.click("summary:has-text('Filter and search')")
    expect(page.locator("#id_created_0")).to_be_visible()
    found["filters open"] = axe_violations(page)

    # Select them, assign them to myself in one go.
    for target in critical:
        page.check(f"#select-new-{target.pk}")
    page.select_option("#bulk_action", "assign")
    page.select_option("#bulk_attorney", str(lawyer.pk))
    page.click("#bulk button[type=submit]")
    page.wait_for_url(f"{origin}/cases/")
    expect(page.locator("main .alert-success")).to_contain_text("Assigned to lawyer")
    for target in critical:
        expect(page.locator(f"#queue-new tr:has-text('{target.reference}')")).to_contain_text(
            "lawyer"
        )
    found["after the bulk change"] = axe_violations(page)

    # A refusal keeps the form's errors beside its fields, also accessible.
    page.check(f"#select-new-{critical[0].pk}")
    page.select_option("#bulk_action", "consultation")
    page.click("#bulk button[type=submit]")
    expect(page.locator("#bulk .invalid-feedback")).to_contain_text("consultation date")
    found["bulk form with errors"] = axe_violations(page)
    context.close()

    assigned = CaseAccess.objects.filter(action=CaseAccess.Action.ASSIGN)
    assert sorted(a.case_id for a in assigned) == sorted(c.pk for c in critical)
    assert all(a.user == lawyer and a.detail["bulk"] for a in assigned)
    assert set(Case.objects.filter(assigned_attorney=lawyer)) == set(critical)
    assert {name: v for name, v in found.items() if v} == {}
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)

    # The inbox: one alert per critical intake, then one digest (a doubled beat too).
    send_triage_digests.delay()
    send_triage_digests.delay()
    smtp.wait_for(40 + 8 + 1, timeout=30)
    time.sleep(2)
    inbox = [m for m in smtp.messages if m["To"] == lawyer.email]
    alerts = sorted(m["Subject"] for m in inbox if m["Subject"].startswith("[CRITICAL]"))
    assert alerts == sorted(f"[CRITICAL] New intake {c.reference}" for c in critical)
    digests = [m for m in inbox if m["Subject"].startswith("Triage digest: 32 new intakes")]
    assert len(digests) == 1 and len(inbox) == 8 + 1
    text = digests[0].get_body(preferencelist=("plain",)).get_content()
    assert all(text.count(c.reference) == 1 for c in others)
    assert not any(c.reference in text for c in critical)
