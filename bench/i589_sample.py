"""A sample I-589 data sheet PDF from the demo data, and how long one takes to draw.

Run: .venv/bin/python bench/i589_sample.py        (about half a minute)

Seeds demo cases (seed_demo, which answers the preparation questionnaire for those retained
or later) in a throwaway SQLite database, picks a prepared Russian-speaking client with a
spouse and an arrest abroad to explain, and writes bench/samples/i589-sample.pdf: the sheet
with the explanations and the declaration draft, as an attorney downloads it."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "samples" / "i589-sample.pdf"


def main():
    workdir = Path(tempfile.mkdtemp(prefix="i589-sample-"))
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.local",
                      DATABASE_URL=f"sqlite:///{workdir}/sample.sqlite3",
                      DJANGO_MEDIA_ROOT=str(workdir / "media"))  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    from cases.i589.declaration import declaration_of
    from cases.i589.items import sheet_for
    from cases.i589.pdf import sheet_pdf
    from cases.models import Case

    call_command("migrate", verbosity=0)
    call_command("seed_demo", cases=60, seed=589, stdout=open(os.devnull, "w"))
    prepared = Case.objects.filter(client__prepared_at__isnull=False).select_related(
        "client__claim").order_by("pk")
    # A Russian speaker with a spouse and a "Yes" to explain, if the seed made one.
    case = next((c for c in prepared if c.client.preferred_language == "ru"
                 and c.client.claim.arrested_abroad
                 and c.client.family.filter(relationship="spouse").exists()),
                prepared.first())  # fmt: skip
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        pdf = sheet_pdf(sheet_for(case, with_narrative=True),
                        declaration_of(case.client.claim))  # fmt: skip
        timings.append(time.perf_counter() - started)
    OUT.write_bytes(pdf)
    timings.sort()
    print(f"{prepared.count()} prepared cases of 60; sample: {case.reference}")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(pdf) / 1024:.0f} KB); "
          f"one sheet drawn in {timings[2] * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
