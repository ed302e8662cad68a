"""How cost grows: the same figures at 1k, 10k and 100k cases, in one table.

Run: .venv/bin/python bench/growth.py [--sizes 1000 10000 100000] [--runs 5]
For each size: a fresh database seeded with seed_demo (timed), then, as medians of --runs,
the dashboard (no filter, and a name search) against the admin's changelist, the daily
reminder run, and the CSV export against a raw COPY of the same query (the baselines run
right after ours, on the same data).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dashboard  # noqa: E402  (sets the environment for asylum_bench)
from bench.export import raw_copy_bytes, timed  # noqa: E402


def measure(cases: int, runs: int) -> dict:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.common import verified_client
    from cases import exports
    from cases.models import Case
    from cases.reminder_runs import reminders_run
    from cases.selectors import DEFAULT_ORDER

    connection.close()
    dashboard.create_database()
    call_command("migrate", verbosity=0)
    cache.clear()  # counts and charts cached for the previous size
    started = time.perf_counter()
    call_command("seed_demo", cases=cases, seed=1, stdout=open(os.devnull, "w"))
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    user = User.objects.get(username="attorney")
    user.is_superuser = user.is_staff = True  # for the admin baseline
    user.save()
    client = verified_client(user)
    row = {"cases": cases, "seed s": seeded}
    for label, ours, theirs in (dashboard.SCENARIOS[0], dashboard.SCENARIOS[3]):
        our_time, our_queries = dashboard.timed(client, f"/cases/?{ours}", runs)
        admin_time, _ = dashboard.timed(client, f"/admin/cases/case/?{theirs}", runs)
        row[f"dashboard {label} ms"] = our_time * 1000
        row[f"{label}: ours/admin"] = our_time / admin_time
        row["dashboard queries"] = our_queries

    def reminder_run():
        with transaction.atomic():  # each run sends the same digests: nothing is kept
            reminders_run(today=timezone.localdate())
            transaction.set_rollback(True)

    row["reminder run s"], _ = timed(reminder_run, runs)
    values = exports.export_values(Case.objects.order_by(*DEFAULT_ORDER))
    csv_time, size = timed(lambda: sum(len(chunk) for chunk in exports.csv_chunks(values)), runs)
    copy_time, _ = timed(lambda: raw_copy_bytes(values), runs)
    row["CSV export s"] = csv_time
    row["CSV: ours/COPY"] = csv_time / copy_time
    row["CSV MB"] = size / 1e6
    connection.close()
    return row


def main(sizes, runs):
    import django

    django.setup()
    rows = [measure(size, runs) for size in sizes]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        cells = [f"{row[k]:.2f}" if isinstance(row[k], float) else str(row[k]) for k in keys]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    main(options.sizes, options.runs)
