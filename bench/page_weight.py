"""Page weight of each wizard step on a phone, as production serves it.

Run: .venv/bin/python bench/page_weight.py        (about a minute; prints tables)

Production settings (DEBUG off, whitenoise's compressed, hashed static files after a real
`collectstatic`) under gunicorn on loopback, with a throwaway SQLite database and an
in-memory Celery broker. Chromium (Playwright, phone viewport) walks the whole wizard in
English and Russian, twice: once with its cache disabled (every step as a first visit) and
once as a person walks it (CSS and JS cached after the first page). For every response it
takes the bytes Chromium received for the body (compressed as served: whitenoise gzips CSS
and JS; Django sends HTML as it is) and the Content-Encoding.
Goal: <= 100 KB per step, cold.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.screenshots import FLAGS, SIZES, free_port, walk  # noqa: E402

# Every response of the page as the browser's Resource Timing saw it: the body's bytes as
# received (compressed as served) and whether it came over the network (transferSize > 0).
ENTRIES = """() => performance.getEntries()
    .filter(e => e.entryType === "navigation" || e.entryType === "resource")
    .map(e => ({url: e.name, navigation: e.entryType === "navigation",
                body: e.encodedBodySize, transfer: e.transferSize}))"""


def production_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; cookies stay Secure
        "DATABASE_URL": f"sqlite:///{workdir}/weight.sqlite3",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "CELERY_BROKER_URL": "memory://",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "A_NUMBER_HASH_KEY": secrets.token_urlsafe(32),
        "INTAKE_MIN_SECONDS_PER_PAGE": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def kind(entry) -> str:
    if entry["navigation"]:
        return "HTML"
    path = entry["url"].split("?")[0]
    return "CSS" if path.endswith(".css") else "JS" if path.endswith(".js") else "other"


def measure(browser, origin, locale, cold) -> tuple[dict, set]:
    """KB per step and kind ("HTML", "CSS", "JS", "other"); the encodings of CSS and JS."""
    context = browser.new_context(viewport=SIZES["phone"], locale=locale, is_mobile=True)
    page = context.new_page()
    if cold:
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    encodings = set()
    page.on("response", lambda response: encodings.add(
        (response.url.rsplit(".", 1)[-1], response.headers.get("content-encoding", "none"))
    ) if response.url.endswith((".css", ".js")) else None)
    steps = {}

    def shoot(step):
        page.wait_for_load_state("load")
        weights = defaultdict(int)
        for entry in page.evaluate(ENTRIES):
            if entry["transfer"] > 0:  # 0: taken from the browser's cache
                weights[kind(entry)] += entry["body"]
        steps[step] = dict(weights)

    walk(page, origin, shoot)
    context.close()
    return steps, encodings


def main():
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="bench-weight-"))
    env = production_env(workdir)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # No shared cache here (one worker, no Redis): django-ratelimit's check would refuse it.
    subprocess.run([*manage, "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()  # walk() fills the arrival step with a court from the same database
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    origin = f"http://localhost:{port}"
    results, encodings = {}, set()
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{origin}/intake/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for language, locale in (("en", "en-US"), ("ru", "ru-RU")):
                for cold in (True, False):
                    results[(language, cold)], seen = measure(browser, origin, locale, cold)
                    encodings |= seen
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print_tables(results)
    print("\nCSS and JS as served: " + ", ".join(f"{k} {e}" for k, e in sorted(encodings)))


def print_tables(results):
    kb = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    for language in ("en", "ru"):
        cold, warm = results[(language, True)], results[(language, False)]
        print(f"\n{language}: KB received per step (phone, production settings)\n")
        print("| step | HTML | CSS | JS | other | total, cold cache | total, walking |")
        print("|---|---|---|---|---|---|---|")
        for step, weights in cold.items():
            parts = [weights.get(kind, 0) for kind in ("HTML", "CSS", "JS", "other")]
            walking = sum(warm[step].values())
            print(f"| {step} | " + " | ".join(kb(p) for p in parts)
                  + f" | **{kb(sum(parts))}** | {kb(walking)} |")


if __name__ == "__main__":
    main()
