"""An attorney on triage duty picks how new intakes reach them, in a real Chromium."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.models import StaffSettings

from .test_staff_browser import axe_violations, sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_choosing_every_intake_at_once_from_the_staff_nav(chromium, live_server):
    lawyer = user_in("attorneys", "lawyer")
    lawyer.groups.add(Group.objects.get(name="triage duty"))
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    requests = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "lawyer")

    page.click("nav >> text=E-mail alerts")
    expect(page.locator("h1")).to_have_text("New-intake e-mails")
    expect(page.locator("#duty-status")).to_contain_text("You are on triage duty")
    expect(page.get_by_label("Critical intakes at once, the others in one digest every 4 hours")
           ).to_be_checked()  # fmt: skip
    assert axe_violations(page) == []

    page.get_by_label("Every new intake at once, one e-mail each").check()
    page.click("#alert-settings-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Saved: every new intake will reach you at once.")
    expect(page.get_by_label("Every new intake at once, one e-mail each")).to_be_checked()
    assert axe_violations(page) == []
    assert StaffSettings.objects.get(user=lawyer).triage_alerts == "immediate"
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)
    context.close()
