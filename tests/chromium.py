"""Fixtures for tests in a real Chromium (Debian's) driven by Playwright."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class OriginLog:
    """Every request a page makes, to prove nothing leaves our own origin."""

    def __init__(self):
        self.urls = []

    def record(self, request):
        self.urls.append(request.url)

    def foreign(self, origin: str) -> list[str]:
        ours = urlsplit(origin).netloc
        return [u for u in self.urls if not u.startswith("data:") and urlsplit(u).netloc != ours]


@pytest.fixture
def phone(chromium):
    """A phone-sized browser context factory: phone(locale="ru-RU") -> (page, origin log)."""
    contexts = []

    def make(locale="en-US"):
        context = chromium.new_context(locale=locale, **PHONE)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        log = OriginLog()
        page.on("request", log.record)
        return page, log

    yield make
    for context in contexts:
        context.close()
