"""Where an intake's server time goes: the load benchmark's flow, in one process.

Run: .venv/bin/python bench/intake_profile.py [--intakes 40] [--cprofile 30]

Replays bench/load/locustfile.py's IntakeUser (GET start, consent, every step's POST and
the GET it redirects to, submit, done; a different person each time) through Django's test
client with the load benchmark's settings, on a fresh PostgreSQL database `asylum_profile`
(BENCH_DATABASE names another, so that two people on one machine do not drop each other's),
and prints the median milliseconds of each kind of request next to the load benchmark's
baseline view (one INSERT) measured in the same run. With --cprofile N it also prints the
N functions with the most cumulative time over all intakes (--only "GET about": one kind);
--queries "POST submit" prints one request's SQL. Celery is eager here, so the submit's
time includes what the worker would do for it (its e-mails go to Django's locmem mail).
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
DATABASE = os.environ.get("BENCH_DATABASE", "asylum_profile")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.setdefault("CACHE_URL", "locmem://")


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=40)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--sort", default="cumulative", help="with --cprofile: or tottime")
    parser.add_argument("--only", metavar="LABEL", help="with --cprofile: one kind (GET about)")
    parser.add_argument("--callers", metavar="REGEX", help="with --cprofile: who calls these")
    parser.add_argument("--queries", metavar="LABEL", help="print one request's SQL (POST submit)")
    return parser.parse_args()


def set_up_django():
    """A fresh asylum_profile, migrated; locmem cache and mail, eager Celery."""
    from bench.common import create_database

    create_database(DATABASE)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.OUTBOX_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


class Recorder:
    """Times requests by label once `measuring`; profiles them with --cprofile (all, or the
    --only label) and captures the SQL of the first --queries request instead of timing it."""

    def __init__(self, options):
        self.options = options
        self.timings = defaultdict(list)
        self.profiler = cProfile.Profile() if options.cprofile else None
        self.queries = []
        self.measuring = False

    def timed(self, label, call, *args, **kwargs):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        options = self.options
        profiling = self.profiler and self.measuring and (
            not options.only or options.only == label
        )
        if profiling:
            self.profiler.enable()
        if self.measuring and label == options.queries and not self.queries:
            with CaptureQueriesContext(connection) as captured:
                response = call(*args, **kwargs)
            self.queries.extend(query["sql"] for query in captured.captured_queries)
            return response
        started = time.perf_counter()
        response = call(*args, **kwargs)
        self.timings[label].append((time.perf_counter() - started) * 1000)
        if profiling:
            self.profiler.disable()
        return response


def intake(timed, steps, rng):
    """One whole intake by a new person, as the load benchmark's IntakeUser does it."""
    from django.test import Client

    from bench.load.people import another_person

    client = Client(SERVER_NAME="127.0.0.1")
    location = timed("GET /intake/", client.get, "/intake/")["Location"]
    timed("GET consent", client.get, location)
    for slug, values in another_person(steps, rng).items():
        response = timed(f"POST {slug}", client.post, f"/intake/step/{slug}/",
                         {**values, "action": "next"})
        assert response.status_code == 302, (slug, response.status_code)
        following = response["Location"].rstrip("/").split("/")[-1]
        assert timed(f"GET {following}", client.get, response["Location"]).status_code == 200
    response = timed("POST submit", client.post, "/intake/step/review/",
                     {"action": "submit"})
    assert response["Location"] == "/intake/done/", response["Location"]
    timed("GET done", client.get, "/intake/done/")


def measure(recorder, intakes):
    """Warm up untimed, then `intakes` intakes, each followed by 16 baseline requests."""
    from django.test import Client

    from tests.intake_data import answers

    steps, rng = answers(), random.Random(2026)
    baseline = Client(SERVER_NAME="127.0.0.1")
    for _ in range(3):  # warm up imports, template caches and connections
        intake(recorder.timed, steps, rng)
        baseline.get("/bench/baseline/")
    recorder.timings.clear()
    recorder.measuring = True
    for _ in range(intakes):
        intake(recorder.timed, steps, rng)
        for _ in range(16):
            recorder.timed("baseline (one INSERT)", baseline.get, "/bench/baseline/")


def print_medians(timings, intakes):
    base = statistics.median(timings.pop("baseline (one INSERT)"))
    print(f"{intakes} intakes, medians in ms; baseline view {base:.2f} ms\n")
    print("| request | ms | x baseline |\n|---|---|---|")
    per_intake = 0.0
    for label, values in timings.items():
        median = statistics.median(values)
        per_intake += median
        print(f"| {label} | {median:.2f} | {median / base:.1f} |")
    mean = per_intake / 16
    print(f"| **one intake (16 requests)** | {per_intake:.1f} | mean {mean / base:.2f} |")
    print(f"\nmean request / baseline: {mean / base:.2f} "
          f"(throughput ratio if CPU-bound: {base / mean:.2f})")


def print_profile(recorder):
    options = recorder.options
    if recorder.profiler:
        out = io.StringIO()
        stats = pstats.Stats(recorder.profiler, stream=out).sort_stats(options.sort)
        stats.print_stats(options.cprofile)
        if options.callers:
            stats.print_callers(options.callers)
        print(out.getvalue())
    if recorder.queries:
        print(f"\n{len(recorder.queries)} queries in one {options.queries}:")
        for sql in recorder.queries:
            print(" ", sql[:300])


def main():
    options = parse_options()
    set_up_django()
    recorder = Recorder(options)
    measure(recorder, options.intakes)
    print_medians(recorder.timings, options.intakes)
    print_profile(recorder)


if __name__ == "__main__":
    main()
