"""axe-core in a real Chromium: every wizard step, the confirmation and the login page, in
all four languages, with no violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_wizard_browser import NEXT, fill_about, fill_arrival, fill_claim

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

LOCALES = ["en-US", "ru-RU", "uk-UA", "es-MX"]
axe = Axe()


def violations(page) -> list:
    found = axe.run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_of_the_intake_is_accessible(phone, live_server, locale):
    from datetime import date, timedelta

    page, _ = phone(locale=locale)
    results = {}

    def audit(name):
        results[name] = violations(page)

    page.goto(f"{live_server.url}/intake/")
    audit("consent")
    page.click(NEXT)  # nothing ticked: the page with its errors
    expect(page.locator("#error-summary")).to_be_visible()
    audit("consent with errors")
    page.check("#id_consent-consent")
    page.check("#id_consent-no_relationship_yet")
    page.click(NEXT)
    expect(page.locator("#progress-label")).to_contain_text("2")
    audit("about")
    fill_about(page)
    page.click(NEXT)
    expect(page.locator("#id_entries-0-date")).to_be_visible()
    audit("arrival")
    fill_arrival(page, date.today() + timedelta(days=30))
    page.click(NEXT)
    page.click("#add-family")
    expect(page.locator("#id_family-0-relationship")).to_be_visible()
    audit("family")
    page.click("form button[value=remove\\:family\\:0]")
    page.click(NEXT)
    expect(page.locator("#id_claim-feared_harm")).to_be_visible()
    audit("claim")
    fill_claim(page)
    page.click(NEXT)
    expect(page.locator("#upload-limits")).to_be_visible()
    audit("documents")
    page.click(NEXT)
    expect(page.locator("button[value=submit]")).to_be_visible()
    audit("review")
    page.click("button[value=submit]")
    expect(page.locator("#reference")).to_be_visible()
    audit("confirmation")
    page.goto(f"{live_server.url}/staff/login/")
    audit("login")
    assert {name: found for name, found in results.items() if found} == {}
