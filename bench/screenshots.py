"""Screenshots of every wizard step at a phone and a desktop size, in English and Russian,
so a person can review the look without running the app. (bench/page_weight.py walks the
same steps to weigh them.)

Run: .venv/bin/python bench/screenshots.py   -> bench/screenshots/*.png
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "screenshots"
sys.path.insert(0, str(ROOT))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
NEXT = "form button[value=next].btn-primary"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def walk(page, origin, shoot):
    from tests.test_wizard_browser import fill_about, fill_claim

    page.goto(f"{origin}/intake/")
    shoot("1-consent")
    page.check("#id_consent-consent")
    page.check("#id_consent-no_relationship_yet")
    page.click(NEXT)
    page.wait_for_selector("#id_about-family_name")
    shoot("2-about")
    fill_about(page)
    page.click(NEXT)
    page.wait_for_selector("#id_entries-0-date")
    shoot("3-arrival")
    page.fill("#id_entries-0-date", "2026-03-02")
    page.fill("#id_entries-0-place", "San Ysidro")
    page.select_option("#id_entries-0-manner", "cbp_one")
    page.select_option("#id_status-current_status", "parole")
    page.click(NEXT)
    page.wait_for_selector("#add-family")
    page.click("#add-family")
    page.wait_for_selector("#id_family-0-relationship")
    page.select_option("#id_family-0-relationship", "child")
    page.fill("#id_family-0-family_name", "Politova")
    page.fill("#id_family-0-given_names", "Anna")
    born = date.today().replace(year=date.today().year - 21) + timedelta(days=60)
    page.fill("#id_family-0-date_of_birth", born.isoformat())
    page.select_option("#id_family-0-marital_status", "single")
    shoot("4-family")
    page.click(NEXT)
    page.wait_for_selector("#id_claim-feared_harm")
    shoot("5-claim")
    fill_claim(page)
    page.click(NEXT)
    page.wait_for_selector("#upload-limits")
    shoot("6-documents")
    page.click(NEXT)
    page.wait_for_selector("button[value=submit]")
    shoot("7-review")
    page.click("button[value=submit]")
    page.wait_for_selector("#reference")
    shoot("8-done")


def main():
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/shots.sqlite3",
           "INTAKE_MIN_SECONDS_PER_PAGE": "0"}  # fmt: skip
    os.environ.update(env)
    import django

    django.setup()  # the form-filling helpers are shared with the browser tests
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    origin = f"http://127.0.0.1:{port}"
    try:
        time.sleep(3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for language, locale in (("en", "en-US"), ("ru", "ru-RU")):
                for size, viewport in SIZES.items():
                    context = browser.new_context(viewport=viewport, locale=locale,
                                                  is_mobile=size == "phone")  # fmt: skip
                    page = context.new_page()

                    def shoot(step, page=page, language=language, size=size):
                        page.screenshot(path=OUT / f"{language}-{size}-{step}.png",
                                        full_page=True)  # fmt: skip

                    walk(page, origin, shoot)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(f"screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
