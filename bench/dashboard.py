"""Dashboard vs the Django admin's Case changelist, on the same data and filters.

Run: .venv/bin/python bench/dashboard.py [--cases 100000] [--runs 7] [--reuse]
Seeds a fresh PostgreSQL database (asylum_bench) with seed_demo, then times the server side
of each page (Django test client, no network) and counts its SQL queries. Figures are
medians over --runs, ours and the admin's measured in the same run, as a ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

DATABASE = "asylum_bench"
common.use_bench_settings(DATABASE)

# (label, our dashboard query, the admin changelist's equivalent)
SCENARIOS = [
    ("no filter", "", ""),
    ("stage new", "stage=new", "stage__exact=new"),
    ("critical, sorted by deadline", "priority=critical&o=deadline",
     "priority__exact=critical&o=8"),
    ("search a name", "q=politov", "q=politov"),
    ("stage + level + page 3", "stage=triaged&priority=high&page=3",
     "stage__exact=triaged&priority__exact=high&p=2"),
]  # fmt: skip


def create_database():
    common.create_database(DATABASE)


def timed(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main(cases: int, runs: int, reuse: bool):
    if not reuse:
        create_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from bench.common import verified_client

    call_command("migrate", verbosity=0)
    if not reuse:
        started = time.perf_counter()
        call_command("seed_demo", cases=cases, seed=1, stdout=open(os.devnull, "w"))
        seeded = time.perf_counter() - started
        print(f"seed_demo --cases {cases}: {seeded:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.get(username="attorney")
    # The admin baseline needs it (the demo attorney is no admin); our page asks the same rights.
    user.is_superuser = user.is_staff = True
    user.save()
    client = verified_client(user)
    print("| scenario | ours ms | ours queries | admin ms | admin queries | ours/admin |")
    print("|---|---|---|---|---|---|")
    for label, ours, theirs in SCENARIOS:
        our_time, our_queries = timed(client, f"/cases/?{ours}", runs)
        admin_time, admin_queries = timed(client, f"/admin/cases/case/?{theirs}", runs)
        print(f"| {label} | {our_time * 1000:.0f} | {our_queries} | {admin_time * 1000:.0f} | "
              f"{admin_queries} | {our_time / admin_time:.2f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    args = parser.parse_args()
    main(args.cases, args.runs, args.reuse)
