"""A merge in a real Chromium: an attorney opens a possible duplicate from the case page,
sees both side by side with the differences in words, merges, and lands on the kept case
with the other case's note; the merged case says where it went."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Case, Note

from ..factories import CaseFactory, ClientFactory
from .test_accessibility import axe
from .test_staff_browser import sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
SCREENSHOT = Path("/tmp/issue15/merge.png")


def violations_in_main(page) -> list:
    """axe on the page's own content (the shared staff header is audited with the case
    page's own accessibility test)."""
    found = axe.run(page, context="main").response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found]


def test_an_attorney_merges_a_duplicate(chromium, live_server):
    lawyer = user_in("attorneys", "lawyer")
    kept = CaseFactory(client=ClientFactory(
        given_names="Alexey", family_name="Politov", given_names_native="Алексей",
        family_name_native="Политов", email="alexey@example.org",
    ))  # fmt: skip
    other = CaseFactory(client=ClientFactory(
        given_names="Aleksei", family_name="Politov", given_names_native="Алексей",
        family_name_native="Политов", email="a.politov@example.org",
        address_line1="1200 Harbor Dr", city="San Diego", state="CA", postal_code="92101",
    ))  # fmt: skip
    Note.objects.create(case=other, author=lawyer, text="Wrote in again from a new address.")
    other.possible_duplicates.add(kept)

    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    requests = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "lawyer")

    page.goto(f"{origin}{kept.get_absolute_url()}")
    page.click("#duplicates a:has-text('compare')")
    expect(page.locator("h1")).to_contain_text(f"{kept.reference} and {other.reference}")
    names = page.locator("#comparison tr", has_text="Names (Latin)")
    expect(names).to_contain_text("Differs: another spelling of the same name")
    expect(page.locator("#comparison tr", has_text="E-mail")).to_contain_text("Differs")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert violations_in_main(page) == []

    page.check(f"#merge-form input[name=keep][value='{kept.pk}']")
    page.check("#id_confirm")
    page.click("#merge-form button[type=submit]")
    page.wait_for_url(f"{origin}{kept.get_absolute_url()}")
    merged = f"{other.reference} merged into {kept.reference}"
    expect(page.locator(".alert-success")).to_contain_text(merged)
    expect(page.locator("#notes")).to_contain_text("Wrote in again from a new address.")
    expect(page.locator("#notes")).to_contain_text(f"Merged {other.reference} into this case")
    expect(page.locator("#duplicates")).to_have_count(0)

    page.goto(f"{origin}{other.get_absolute_url()}")
    expect(page.locator("#merged-into")).to_contain_text(f"Merged into {kept.reference}")
    expect(page.locator("#stage-form")).to_have_count(0)
    assert violations_in_main(page) == []
    assert Case.objects.get(pk=other.pk).merged_into_id == kept.pk
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests)
    context.close()
