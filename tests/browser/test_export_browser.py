"""A paralegal exports a filtered dashboard with more rows than the threshold, in a real
Chromium against a real (slowed) celery worker: the page's bar climbs to 100% without the
page reloading, then the download link gives the file; without JavaScript the page refreshes
itself to the same end. axe finds nothing on the finished page."""

import csv
import io
import os
import signal

import pytest
from playwright.sync_api import expect

from ..factories import CaseFactory, ClientFactory
from ..worker import start_worker
from .test_staff_browser import axe_violations, sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
QUEUE = "export-browser-test"


@pytest.fixture
def slow_worker(settings, tmp_path):
    """Its own queue and worker, half a second per row: the bar has time to be seen."""
    settings.EXPORT_ASYNC_THRESHOLD = 3
    settings.EXPORT_QUEUE = QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = start_worker(QUEUE, tmp_path / "worker.log",
                          DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
                          EXPORT_TEST_PAUSE_SECONDS="0.5")  # fmt: skip
    yield worker
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(20)


def test_export_a_filtered_dashboard_with_a_progress_bar(chromium, live_server, slow_worker):
    user_in("staff", "paralegal")
    for i in range(6):
        CaseFactory(stage="new", client=ClientFactory(family_name=f"Newcase{i}"))
    CaseFactory(stage="filed", client=ClientFactory(family_name="Filedcase"))
    origin = live_server.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, origin, "paralegal")

    page.goto(f"{origin}/cases/?stage=new")
    expect(page.locator("#total")).to_have_text("6 matching")
    page.click("#export-csv")
    page.wait_for_url(f"{origin}/cases/export/*/")
    expect(page.locator("h1")).to_contain_text("Export of 6 cases as CSV")
    bar = page.locator("progress#export-progress")
    expect(bar).to_be_visible()
    assert int(bar.get_attribute("value")) < 100  # the worker takes a few seconds
    page.evaluate("window.stayed = true")  # lost if the page reloaded
    expect(page.locator("#export-rows")).not_to_have_text("0")  # it moves as rows are written
    expect(bar).to_have_attribute("value", "100", timeout=60_000)
    expect(page.locator("#export-percent")).to_have_text("100")
    expect(page.locator("#export-label")).to_have_text("Ready to download")
    download_link = page.locator("#export-download")
    expect(download_link).to_be_visible()
    expect(page.locator("#export-refresh")).to_be_hidden()
    assert page.evaluate("window.stayed === true")
    assert axe_violations(page) == []

    with page.expect_download() as info:
        download_link.click()
    data = open(info.value.path(), "rb").read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert sorted(row["Family name"] for row in rows) == [f"Newcase{i}" for i in range(6)]
    assert {row["Stage"] for row in rows} == {"New"}
    assert all(url.startswith(origin) for url in requests)  # nothing from another origin
    context.close()


def test_without_javascript_the_page_refreshes_itself_to_the_download(chromium, live_server,
                                                                      slow_worker):  # fmt: skip
    user_in("staff", "paralegal")
    for i in range(5):
        CaseFactory(stage="new", client=ClientFactory(family_name=f"Newcase{i}"))
    origin = live_server.url
    context = chromium.new_context(java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    sign_in(page, origin, "paralegal")
    page.goto(f"{origin}/cases/?stage=new")
    page.click("#export-xlsx")
    page.wait_for_url(f"{origin}/cases/export/*/")
    expect(page.locator("#export-refresh")).to_be_visible()
    expect(page.locator("#export-download")).to_be_visible(timeout=60_000)
    expect(page.locator("progress#export-progress")).to_have_attribute("value", "100")
    context.close()
