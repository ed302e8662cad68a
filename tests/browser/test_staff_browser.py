"""An attorney's day in a real Chromium: sign in, filter, search, open, move, note."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import AppDevice
from cases.models import Case, CaseAccess

from ..factories import CaseFactory, ClientFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
PASSWORD = "correct horse battery staple"


def user_in(group, name):
    user = User.objects.create_user(name, f"{name}@firm.example", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    AppDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def sign_in(page, origin, username):
    """Password, then the authenticator app's current code, as a person would type them."""
    page.goto(f"{origin}/cases/")
    assert "/staff/login/" in page.url
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("#id_token-otp_token")).to_be_visible()  # the same page, next step
    device = AppDevice.objects.get(user__username=username)
    page.fill("#id_token-otp_token", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/cases/")


def new_cases_to_find() -> Case:
    """Two new cases with names in both scripts: a Russian's, returned, and a Ukrainian's."""
    target = CaseFactory(stage="new", client=ClientFactory(
        given_names="Dmitrii", family_name="Politov", given_names_native="Дмитрий",
        family_name_native="Политов", nationality="RU",
    ))  # fmt: skip
    CaseFactory(stage="new", client=ClientFactory(given_names="Olena", family_name="Shevchenko",
                                                  given_names_native="Олена",
                                                  family_name_native="Шевченко",
                                                  nationality="UA"))  # fmt: skip
    return target


def test_an_attorneys_day(chromium, live_server):
    user_in("attorneys", "lawyer")
    user_in("administrators", "boss")
    target = new_cases_to_find()
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    requests = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "lawyer")

    # Filter by nationality, then search with a Latin spelling of a Cyrillic name.
    page.click("summary:has-text('Filter and search')")
    page.select_option("#id_nationality", "UA")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**nationality=UA**")
    expect(page.locator("#cases tbody tr")).to_have_count(1)
    page.goto(f"{origin}/cases/")
    page.fill("#quick-search", "Политов")
    page.press("#quick-search", "Enter")
    page.wait_for_url("**q=**")
    rows = page.locator("#cases tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Дмитрий Политов")

    page.click(f"#cases a:has-text('{target.reference}')")
    assert page.inner_text("#stage") == "New"
    page.select_option("#id_to_stage", "triaged")
    page.click("button:has-text('Move stage')")
    expect(page.locator("#stage")).to_have_text("Triaged")
    assert "by lawyer" in page.inner_text("#history")

    page.fill("#id_text", "Called the client: hearing notice arrived by mail.")
    page.click("button:has-text('Add note')")
    expect(page.locator("#notes")).to_contain_text("hearing notice arrived")
    context.close()

    # An administrator reads the access log on the same case.
    admin_context = chromium.new_context()
    admin_page = admin_context.new_page()
    sign_in(admin_page, origin, "boss")
    admin_page.goto(f"{origin}/cases/{target.pk}/")
    log = admin_page.inner_text("#access-log")
    assert "lawyer: Viewed case page" in log
    admin_context.close()
    assert CaseAccess.objects.filter(case=target, user__username="lawyer").exists()
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)


def axe_violations(page) -> list:
    """axe-core's findings in the page's main content (the staff header is the cases app's)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context="#main").response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found]


def test_a_first_sign_in_sets_up_the_authenticator_from_our_own_origin(chromium, live_server):
    """A new attorney's first sign-in in a real Chromium: the QR code is an image from our
    own origin that the Content-Security-Policy lets load, the key typed into an app gives
    the code that confirms it, then the recovery codes, then the case list; axe finds no
    accessibility violation on the set-up and recovery-code pages."""
    user = User.objects.create_user("newcomer", "newcomer@firm.example", PASSWORD)
    user.groups.add(Group.objects.get(name="attorneys"))
    context = chromium.new_context()
    page = context.new_page()
    requests, refused = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    origin = live_server.url
    page.goto(f"{origin}/cases/")
    page.fill("#id_auth-username", "newcomer")
    page.fill("#id_auth-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/staff/two-factor/setup/**")
    qr = page.locator("img.qr-code")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert qr.evaluate("img => new URL(img.src).origin") == origin
    found = {"set-up": axe_violations(page)}
    key = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#id_generator-token", f"{totp(b32decode(key)):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/staff/two-factor/recovery-codes/**")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    found["recovery codes"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}
    page.click("text=I have kept them: continue")
    page.wait_for_url(f"{origin}/cases/")
    context.close()
    assert AppDevice.objects.get(user=user).confirmed
    assert refused == []
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)
