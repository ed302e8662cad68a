"""Page weight of each wizard step as a phone downloads it (gzip), in one language.

Run: .venv/bin/python bench/page_weight.py [ru|en|uk|es]
Uses a throwaway SQLite database; prints a table of HTML + CSS + JS + icon bytes.
"""

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/weight.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.intake_data import answers  # noqa: E402


def asset_bytes(html: str) -> int:
    total = 0
    for url in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
        path = finders.find(url.removeprefix(settings.STATIC_URL).removeprefix("/static/"))
        total += len(gzip.compress(Path(path).read_bytes(), 9))
    return total


def main(language: str):
    call_command("migrate", verbosity=0)
    client = Client(HTTP_ACCEPT_LANGUAGE=language, SERVER_NAME="localhost")
    steps = answers()
    print(f"| step ({language}) | HTML gzip KB | all gzip KB |")
    print("|---|---|---|")
    for slug in [*steps, "review"]:
        html = client.get(f"/intake/step/{slug}/").content.decode()
        page = len(gzip.compress(html.encode(), 9))
        print(f"| {slug} | {page / 1024:.1f} | {(page + asset_bytes(html)) / 1024:.1f} |")
        if slug in steps:
            client.post(f"/intake/step/{slug}/", {**steps[slug], "action": "next"})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ru")
