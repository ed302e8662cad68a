"""The I-589 data sheet in a real Chromium: an attorney sees the readiness panel on the case
page, opens what is missing, opens the data sheet (each value beside its part and item,
nothing from another origin, no axe violation in it), and downloads the PDF, whose text
holds the item numbers and values, Cyrillic included."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ..cases.i589_world import prepared_case
from .test_merge_browser import violations_in_main
from .test_staff_browser import sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
SCREENSHOT = Path("/tmp/issue17/i589-sheet.png")


def test_an_attorney_checks_readiness_and_downloads_the_sheet(chromium, live_server, tmp_path):
    user_in("attorneys", "lawyer")
    case = prepared_case()
    context = chromium.new_context(viewport={"width": 1280, "height": 1000},
                                   accept_downloads=True)  # fmt: skip
    requests = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    origin = live_server.url
    sign_in(page, origin, "lawyer")

    page.goto(f"{origin}{case.get_absolute_url()}")
    panel = page.locator("#i589-panel")
    expect(panel).to_contain_text("C: ")
    expect(panel).to_contain_text("to check")
    panel.locator("a:has-text('What is missing')").click()
    expect(page.locator("#readiness-c")).to_contain_text("C.5 has no explanation")

    page.goto(f"{origin}{case.get_absolute_url()}")
    page.locator("#i589-panel a:has-text('Data sheet')").click()
    row = page.locator("tr.i589-item[data-key='A.I.14']")
    expect(row).to_contain_text("Part A.I, item 14")
    expect(row).to_contain_text("Russia")
    expect(page.locator("tr.i589-item[data-key='A.I.4']")).to_contain_text("Politov (Политов)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert violations_in_main(page) == []

    with page.expect_download() as download:
        page.locator("#i589-downloads a", has_text="PDF").first.click()
    path = tmp_path / "sheet.pdf"
    download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Part A.I, item 14" in text and "Russia" in text
    assert "Politov (Политов)" in text
    assert [u for u in requests if not u.startswith(origin)] == []
    context.close()
