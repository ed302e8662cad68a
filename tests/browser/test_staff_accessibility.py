"""axe-core in a real Chromium on the staff pages an attorney works from: the sign-in steps
(password, second factor, the authenticator set-up), the case page with every form open and
with errors, and the deadlines page, whole pages with their header: no violation. And the
case page on a phone: deadlines and actions before the client's long file."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import AppDevice
from cases.models import Deadline, Note, StageChange
from cases.services import case_override_priority
from cases.timezones import today
from notifications.models import Email

from ..chromium import PHONE
from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory, FamilyMemberFactory
from .test_staff_browser import PASSWORD, sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
axe = Axe()


def violations(page) -> list:
    found = axe.run(page).response["violations"]
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found]
    # One id, one element: a label or an error pointing at an id must find its own field
    # (several forms on the case page each carry a version, two a note).
    repeated = page.evaluate("""() => {
        const seen = {};
        document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
    return found + ([("repeated ids", "serious", repeated)] if repeated else [])


def busy_case(lawyer):
    """A case with something in every panel: family, claim, deadlines (one past due, one
    entered to edit), a note to edit, an e-mail to resend, a decline's reason in the
    history, and an override beside what triage says now."""
    case = CaseFactory(stage="triaged", assigned_attorney=lawyer)
    EntryFactory(client=case.client, date=today() - timedelta(days=40))
    AsylumClaimFactory(client=case.client)
    FamilyMemberFactory(client=case.client)
    Deadline.objects.create(case=case, kind="biometrics", due_date=today() - timedelta(days=2))
    Deadline.objects.create(case=case, kind="interview", entered_by=lawyer,
                            due_date=today() + timedelta(days=20))  # fmt: skip
    Note.objects.create(case=case, author=lawyer, text="Called the client.")
    Email.objects.create(case_id=case.pk, kind="confirmation", to=case.client.email,
                         subject="We received your intake", body_text="Thank you.",
                         status="failed", last_error="SMTPDataError: 451")  # fmt: skip
    StageChange.objects.create(case=case, from_stage="new", to_stage="triaged", by=lawyer,
                               reason="Hearing notice checked against EOIR.")  # fmt: skip
    case_override_priority(case=case, level="critical", note="Brother detained", by=lawyer)
    return case


def open_every_form(page) -> None:
    page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")


def test_the_staff_pages_have_no_accessibility_violation(chromium, live_server):
    lawyer = user_in("attorneys", "lawyer")
    case = busy_case(lawyer)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    origin = live_server.url
    found = {}

    def audit(name):
        found[name] = violations(page)

    page.goto(f"{origin}/cases/")
    expect(page.locator("#id_auth-username")).to_be_visible()
    audit("sign-in: password")
    page.fill("#id_auth-username", "lawyer")
    page.fill("#id_auth-password", "not the password")
    page.click("main button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    audit("sign-in: wrong password")
    page.fill("#id_auth-username", "lawyer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("#id_token-otp_token")).to_be_visible()
    audit("sign-in: second factor")
    page.fill("#id_token-otp_token", "000000")
    page.click("main button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    audit("sign-in: wrong code")
    page.wait_for_timeout(1500)  # django-otp lets the next code in after a second
    device = AppDevice.objects.get(user=lawyer)
    page.fill("#id_token-otp_token", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/cases/")

    page.goto(f"{origin}/cases/{case.pk}/")
    expect(page.locator("#past-due")).to_contain_text("1 deadline past due")
    open_every_form(page)
    audit("case page")
    page.select_option("#id_to_stage", "declined")
    page.click("#stage-form button[type=submit]")  # no reason, no confirmation
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.locator("#id_confirm_decline_error")).to_be_visible()
    open_every_form(page)
    audit("case page with errors")

    page.goto(f"{origin}/cases/deadlines/?all=1")
    expect(page.locator("#upcoming-deadlines")).to_contain_text(case.reference)
    audit("deadlines")
    context.close()

    # A newcomer's first sign-in sets up the authenticator app.
    newcomer = User.objects.create_user("newcomer", "newcomer@firm.example", PASSWORD)
    newcomer.groups.add(Group.objects.get(name="attorneys"))
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{origin}/cases/")
    page.fill("#id_auth-username", "newcomer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/staff/two-factor/setup/**")
    expect(page.locator("img.qr-code")).to_be_visible()
    audit("authenticator set-up")
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def boxes(page, *selectors) -> dict:
    return {s: page.locator(s).bounding_box() for s in selectors}


def test_on_a_phone_the_deadlines_and_actions_come_before_the_clients_file(
    chromium, live_server
):  # fmt: skip
    lawyer = user_in("attorneys", "lawyer")
    case = busy_case(lawyer)
    origin = live_server.url
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, origin, "lawyer")
    page.goto(f"{origin}/cases/{case.pk}/")
    at = boxes(page, "#past-due", "#workflow-heading", "#deadlines-heading", "#about-heading",
               "#history-heading")  # fmt: skip
    assert at["#past-due"]["y"] < at["#workflow-heading"]["y"]
    assert at["#workflow-heading"]["y"] < at["#deadlines-heading"]["y"] < at["#about-heading"]["y"]
    assert at["#about-heading"]["y"] < at["#history-heading"]["y"]
    # One column, nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    signed_in = context.storage_state()  # a code is good for one sign-in only
    context.close()

    # On a desk: the client's file on the left, the actions and deadlines beside it at the top.
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   storage_state=signed_in)  # fmt: skip
    page = context.new_page()
    page.goto(f"{origin}/cases/{case.pk}/")
    at = boxes(page, "#workflow-heading", "#deadlines-heading", "#about-heading",
               "#history-heading")  # fmt: skip
    assert at["#about-heading"]["x"] < at["#workflow-heading"]["x"]
    assert abs(at["#about-heading"]["y"] - at["#workflow-heading"]["y"]) < 5
    assert at["#workflow-heading"]["x"] == at["#deadlines-heading"]["x"]
    assert at["#deadlines-heading"]["y"] < at["#history-heading"]["y"]
    # The rest of the right-hand cards follow the deadlines, not the end of the long file.
    actions, side = page.locator(".case-actions").bounding_box(), page.locator(".case-side")
    assert side.bounding_box()["y"] - (actions["y"] + actions["height"]) < 40
    context.close()
