"""A paralegal's morning in a real Chromium: take a case, correct the client's phone and
address, book the consultation, and find it on the deadlines page; axe finds nothing in
those panels, and nothing loads from another origin."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseAccess
from cases.timezones import today
from notifications.models import Email

from ..factories import CaseFactory
from .test_staff_browser import sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
PANELS = ["section[aria-labelledby=contact-heading]",
          "section[aria-labelledby=consultation-heading]",
          "section[aria-labelledby=workflow-heading]"]  # fmt: skip


def axe_violations_in(page, selector: str) -> list:
    """axe-core's findings inside one part of the page."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=selector).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found]


def test_a_paralegals_morning(chromium, live_server, tmp_path):
    user_in("staff", "paula")
    user_in("attorneys", "lawyer")
    case = CaseFactory(stage="triaged", client__preferred_language="uk",
                       client__email="client@example.org")  # fmt: skip
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "paula")
    page.goto(f"{origin}/cases/{case.pk}/")

    page.click("button:has-text('Take this case as its paralegal')")
    expect(page.locator("#paralegal")).to_have_text("paula")

    page.click("summary:has-text('Correct the contact details or address')")
    page.fill("#id_contact_phone", "")
    page.fill("#id_contact_email", "")
    page.click("button:has-text('Save contact details')")
    # Neither e-mail nor phone: said beside the e-mail field, the form stays open.
    expect(page.locator("#div_id_contact_email .invalid-feedback")).to_contain_text(
        "Give an e-mail address or a phone number")
    page.fill("#id_contact_email", "client@example.org")
    page.fill("#id_contact_phone", "+1 619 555 0123")
    page.fill("#id_contact_address_line1", "1450 Fifth Ave")
    page.fill("#id_contact_city", "San Diego")
    page.fill("#id_contact_state", "CA")
    page.fill("#id_contact_postal_code", "92101")
    page.click("button:has-text('Save contact details')")
    expect(page.locator("#contact-history")).to_contain_text("Phone: +16195550100 → +16195550123")
    expect(page.locator("#contact-history")).to_contain_text("paula")

    day = today() + timedelta(days=10)
    page.click("summary:has-text('Schedule a consultation')")
    page.fill("#id_consultation_day", day.isoformat())
    page.fill("#id_consultation_at", "10:30")
    page.select_option("#id_consultation_attorney", label="lawyer")
    page.select_option("#id_consultation_mode", "office")
    page.check("#id_consultation_move_stage")
    for selector in PANELS:  # the panels with their forms open
        page.evaluate(f"document.querySelectorAll('{selector} details')"
                      ".forEach(d => d.open = true)")  # fmt: skip
    found = {selector: axe_violations_in(page, selector) for selector in PANELS}
    page.click("button:has-text('Save consultation')")
    expect(page.locator("#consultation")).to_contain_text(f"{day:%Y-%m-%d}")
    expect(page.locator("#stage")).to_have_text("Consultation scheduled")
    page.screenshot(path=str(tmp_path / "case-page.png"), full_page=True)

    page.goto(f"{origin}/cases/deadlines/")
    expect(page.locator("#upcoming-consultations")).to_contain_text(case.reference)
    expect(page.locator("#upcoming-consultations")).to_contain_text("At the office")
    found["deadlines"] = axe_violations_in(page, "#upcoming-consultations")
    context.close()

    assert {name: v for name, v in found.items() if v} == {}
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)
    case = Case.objects.get(pk=case.pk)
    assert (case.assigned_paralegal.username, case.stage) == ("paula", "consultation")
    actions = set(CaseAccess.objects.filter(case=case).values_list("action", flat=True))
    assert {"assign", "contact", "consultation", "stage"} <= actions
    assert Email.objects.filter(case_id=case.pk, kind="consultation", language="uk").count() == 1
