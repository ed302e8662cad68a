"""A million cases (issue 18): seeding, the pages on stale and on fresh statistics, the
reminder run and the exports, each against its baseline measured in the same run.

Run:
  .venv/bin/python bench/scale.py --cases 1000000            # fresh database, seed, measure
  .venv/bin/python bench/scale.py --reuse                     # measure an existing one again

Fresh: a database of its own (--database), migrated; `seed_demo --no-analyze` timed, in two
runs: the first third (--stale-at), ANALYZE, autovacuum off on every table, then the rest, so
the pages are first measured on statistics of a caseload a third of the size, as a bulk load
leaves them until autovacuum comes round (GIN pending lists unmerged too); then what
seed_demo does at its end (cases.copy_insert.load_settle: the GIN pending lists merged,
ANALYZE; timed) and the pages again.
--no-statistics: none at all instead (pg_statistic emptied, pg_class as for tables created
empty and never analysed). --reuse: measure a seeded database as found, then after ANALYZE.

Pages: the server side through Django's test client, medians of --runs, each next to the
Django admin's changelist of the same cases, with the SQL queries counted: the triage queue
as an attorney holding 200 cases (a user of the "attorneys" group, superuser for the admin
baseline) and as staff (a paralegal; the admin as an administrator), a name search in Latin
and in Cyrillic, and one for the demo's commonest family name. Then the daily reminder run
(rolled back) against one SQL query reading the same due deadlines; our CSV export against a
raw COPY of the same query, with the memory it adds; our XLSX against our CSV of the same
rows (--xlsx-rows, the first rows in the export's order; 0 for all). "background": every
case (closed ones too) exported from the web as CSV and as XLSX, each a job that one real
`celery worker` writes while the page's status is read every few seconds as the progress bar
reads it, then downloaded whole.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

PAGES = [
    # (label, who, our query, the admin's query)
    ("triage queue", "attorney", "", ""),
    ("triage queue", "staff", "", ""),
    ("name search, Latin", "attorney", "q=politov", "q=politov"),
    ("name search, Cyrillic", "attorney", "q=политов", "q=политов"),
    ("name search, Latin", "staff", "q=politov", "q=politov"),
    # The demo's commonest family name (cases.demo_data: about 1 client in 60).
    ("name search, commonest name", "attorney", "q=ivanov", "q=ivanov"),
]
HELD = 200  # cases the benchmark's attorney holds


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_of(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_time(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection

    assert client.get(url).status_code == 200, url  # warm: connections, templates
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted as they run: the test client's request signals reset Django's own query log.
    with connection.execute_wrapper(count):
        client.get(url)

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return median_of(get, runs), len(queries)


def statistics_off(cursor) -> None:
    """No statistics on any table of ours, and none gathered meanwhile: as right after a
    bulk load into new tables, before ANALYZE or autovacuum."""
    autovacuum_off(cursor)
    cursor.execute(
        "DELETE FROM pg_statistic WHERE starelid IN "
        "(SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)"
    )
    # What pg_class says of tables created empty by migrate and never analysed since: a
    # table of unknown size, its indexes empty (CREATE INDEX counted no rows).
    cursor.execute(
        "UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0 "
        "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
    )
    cursor.execute(
        "UPDATE pg_class SET reltuples = 0, relpages = 1 "
        "WHERE relnamespace = 'public'::regnamespace AND relkind = 'i'"
    )


def autovacuum_off(cursor) -> None:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    for (table,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')


def autovacuum_on(cursor) -> None:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    for (table,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE "{table}" RESET (autovacuum_enabled)')


def bench_users():
    """The attorney holding exactly HELD open cases past triage (taken from the demo
    attorneys' share, their deadlines' attorney kept in step), a paralegal, and an
    administrator for the admin's pages."""
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from cases.services import deadlines_attorney_sync

    attorney, _ = User.objects.get_or_create(username="bench-attorney")
    attorney.groups.add(Group.objects.get(name="attorneys"))
    attorney.is_superuser = attorney.is_staff = True  # the admin baseline; same rights here
    attorney.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM cases_case WHERE stage NOT IN ('new', 'triaged', 'closed', "
            "'declined') AND merged_into_id IS NULL ORDER BY id DESC LIMIT %s",
            [HELD],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "UPDATE cases_case SET assigned_attorney_id = NULL "
            "WHERE assigned_attorney_id = %s AND NOT id = ANY(%s)",
            [attorney.pk, ids],
        )
        cursor.execute(
            "UPDATE cases_case SET assigned_attorney_id = %s WHERE id = ANY(%s)",
            [attorney.pk, ids],
        )
    deadlines_attorney_sync(case_ids=ids)
    paralegal, _ = User.objects.get_or_create(username="bench-paralegal")
    paralegal.groups.add(Group.objects.get(name="staff"))
    admin, _ = User.objects.get_or_create(username="bench-admin")
    admin.groups.add(Group.objects.get(name="administrators"))
    admin.is_superuser = admin.is_staff = True
    admin.save()
    held = attorney.assigned_cases.count()
    return {"attorney": attorney, "staff": paralegal, "admin": admin}, held


def measure_pages(clients, runs: int, title: str) -> list[dict]:
    rows = []
    for label, who, ours, theirs in PAGES:
        our_time, our_queries = page_time(clients[who], f"/cases/?{ours}", runs)
        admin = clients["attorney"] if who == "attorney" else clients["admin"]
        admin_time, admin_queries = page_time(admin, f"/admin/cases/case/?{theirs}", runs)
        rows.append({"statistics": title, "page": label, "as": who,
                     "ours ms": our_time * 1000, "ours queries": our_queries,
                     "admin ms": admin_time * 1000, "admin queries": admin_queries,
                     "ours/admin": our_time / admin_time})  # fmt: skip
        print_row(rows[-1])
    return rows


def print_row(row: dict) -> None:
    cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()]
    print("| " + " | ".join(cells) + " |", flush=True)


def reminder_figures(runs: int) -> dict:
    """reminders_run (rolled back, so every run sends the same) against the one query that
    reads what it works from: the open deadlines due within the longest offset, with their
    case's reference and attorney's address."""
    from django.conf import settings
    from django.db import connection, transaction

    from cases.models import Reminder
    from cases.reminder_runs import reminders_run
    from cases.timezones import today

    on = today()
    horizon = on.toordinal() + max(settings.REMINDER_OFFSETS_DAYS)
    digests = {}

    def ours(tell=False):
        with transaction.atomic():
            digests["n"] = reminders_run(today=on)
            if tell:  # untimed: the first run, with its queries counted
                digests["queries"] = len(queries)
                digests["written"] = Reminder.objects.filter(sent_on=on).count()
            transaction.set_rollback(True)

    def one_query():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.kind, d.due_date, d.due_time, d.time_zone, d.case_id, "
                "c.reference, u.email FROM cases_deadline d "
                "JOIN cases_case c ON c.id = d.case_id "
                "LEFT JOIN auth_user u ON u.id = c.assigned_attorney_id "
                "WHERE d.status = 'open' AND d.due_date <= %s",
                [type(on).fromordinal(horizon)],
            )
            digests["rows"] = len(cursor.fetchall())

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def vacuumed():
        # A rolled-back run leaves its rows dead in the tables it writes, and autovacuum may
        # be off or slow to come: each next run would check its inserts against the last
        # ones' dead rows, as no real daily run does. Untimed, before each run.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM cases_reminder, notifications_email")

    def next_day() -> float:
        # The run a firm has every day: yesterday's run sent its reminders (untimed), so
        # today's sends only those whose offset comes today; the first run above, on a
        # caseload loaded at once, sends every deadline within the longest offset its own.
        with transaction.atomic():
            reminders_run(today=on - timedelta(days=1))
            started = time.perf_counter()
            digests["next day"] = reminders_run(today=on)
            elapsed = time.perf_counter() - started
            digests["next written"] = Reminder.objects.filter(sent_on=on).count()  # untimed
            transaction.set_rollback(True)
        return elapsed

    with connection.execute_wrapper(count):
        ours(tell=True)
    times, next_times = [], []
    for _ in range(runs):
        vacuumed()
        times.append(median_of(ours, 1))
        vacuumed()
        next_times.append(next_day())
    our_time = statistics.median(times)
    next_time = statistics.median(next_times)
    sql_time = median_of(one_query, runs)
    return {"digests": digests["n"], "due deadlines": digests["rows"],
            "queries": digests["queries"], "reminders written": digests["written"],
            "first run s": our_time, "one query s": sql_time,
            "first run/query": our_time / sql_time,
            "next day's digests": digests["next day"],
            "next day's reminders": digests["next written"], "next day s": next_time,
            "next day/query": next_time / sql_time}  # fmt: skip


class _Sink:
    size = 0

    def write(self, data):
        self.size += len(data)


def export_figures(runs: int, xlsx_rows: int) -> dict:
    from django.db import connection

    from cases import exports
    from cases.models import Case
    from cases.selectors import DEFAULT_ORDER

    values = exports.export_values(Case.objects.order_by(*DEFAULT_ORDER))

    def ours_csv():
        return sum(len(chunk) for chunk in exports.csv_chunks(values))

    def raw_copy():
        sql, params = values.query.sql_with_params()
        sink = _Sink()
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")  # as the export does
            statement = cursor.cursor.mogrify(sql, params).decode()
            cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV", sink)
        return sink.size

    idle = peak_mb()
    size = ours_csv()
    grown = peak_mb() - idle
    csv_time = median_of(ours_csv, runs)
    copy_time = median_of(raw_copy, runs)
    figures = {"rows": Case.objects.count(), "CSV MB": size / 1e6, "CSV s": csv_time,
               "COPY s": copy_time, "CSV/COPY": csv_time / copy_time,
               "CSV memory growth MB": grown}  # fmt: skip
    few = values[:xlsx_rows] if xlsx_rows else values

    def ours_xlsx():
        handle = exports.xlsx_file(few)
        handle.close()

    def ours_csv_few():
        return sum(len(chunk) for chunk in exports.csv_chunks(few))

    xlsx_runs = 1 if not xlsx_rows or xlsx_rows > 100_000 else runs
    figures["XLSX rows"] = xlsx_rows or figures["rows"]
    # The peak only rises: what the first XLSX adds above everything measured before it.
    before = peak_mb()
    ours_xlsx()
    figures["XLSX memory growth MB"] = peak_mb() - before
    figures["XLSX s"] = median_of(ours_xlsx, xlsx_runs)
    figures["CSV same rows s"] = median_of(ours_csv_few, xlsx_runs)
    figures["XLSX/CSV"] = figures["XLSX s"] / figures["CSV same rows s"]
    return figures


def start_worker():
    """One real celery worker for the export queue, once it answers a ping."""
    from django.conf import settings

    from config.celery_app import app

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "--queues",
         settings.EXPORT_QUEUE, "--concurrency", "1", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )  # fmt: skip
    while not app.control.ping(timeout=0.5):
        time.sleep(0.2)
    return worker


def background_figures(user, every: float) -> list[dict]:
    """Each format exported from the web as a user sees it: asked for, the status the
    progress bar reads polled until done, the file downloaded."""
    from bench.common import verified_client

    client = verified_client(user)
    worker = start_worker()
    figures = []
    try:
        for kind in ("csv", "xlsx"):
            started = time.perf_counter()
            response = client.get(f"/cases/export/?format={kind}&include_ended=on")
            assert response.status_code == 302, response.status_code
            job_page = response["Location"]
            assert client.get(job_page).status_code == 200
            seen = []
            while True:
                state = client.get(job_page + "status/").json()
                seen.append((time.perf_counter() - started, state["rows_written"]))
                if state["status"] in ("done", "failed"):
                    break
                time.sleep(every)
            written = time.perf_counter() - started
            assert state["status"] == "done", state
            download = client.get(state["download"])
            size = sum(len(chunk) for chunk in download.streaming_content)
            figures.append({
                "format": kind, "rows": state["rows_total"], "written s": written,
                "status reads": len(seen),
                "bar at": [f"{t:.0f}s:{rows * 100 // state['rows_total']}%"
                           for t, rows in seen[:: max(1, len(seen) // 8)]],
                "downloaded MB": size / 1e6,
                "download s": time.perf_counter() - started - written,
            })  # fmt: skip
            print("background export:", figures[-1], flush=True)
    finally:
        worker.terminate()
        worker.wait(30)
    return figures


def measure_both(users, held: int, options) -> None:
    """The pages on the statistics as they are, then after ANALYZE (as seed_demo ends)."""
    from bench.common import verified_client
    from cases.copy_insert import load_settle
    from cases.models import Case

    clients = {who: verified_client(user) for who, user in users.items()}
    print(f"{Case.objects.count()} cases; the attorney holds {held}")
    print("| statistics | page | as | ours ms | ours queries | admin ms | admin queries "
          "| ours/admin |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    stale = "none" if options.no_statistics else f"stale (from {options.stale_at:.0%} of the load)"
    measure_pages(clients, options.runs, stale if not options.reuse else "as found")
    started = time.perf_counter()
    load_settle()  # as seed_demo ends: the GIN pending lists merged, then ANALYZE
    analysed = time.perf_counter() - started
    measure_pages(clients, options.runs, "after ANALYZE")
    print(f"GIN pending lists merged and ANALYZE: {analysed:.1f} s", flush=True)


def seed(cases: int, *, first: bool) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("seed_demo", cases=cases, seed=1 if first else 2, analyze=False,
                 stdout=open(os.devnull, "w"))  # fmt: skip
    return time.perf_counter() - started


def main(options):
    if not options.reuse:
        common.create_database(options.database)
    common.use_bench_settings(options.database)
    os.environ["CACHE_URL"] = options.cache
    os.environ["CELERY_BROKER_URL"] = options.broker
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection


    call_command("migrate", verbosity=0)
    cache.clear()
    if not options.reuse:
        # Statistics of an earlier, smaller caseload (as autovacuum leaves them during a bulk
        # load): the first part seeded and analysed, autovacuum off, then the rest.
        first = round(options.cases * options.stale_at)
        seconds = seed(first, first=True) if first else 0.0
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            statistics_off(cursor) if options.no_statistics else autovacuum_off(cursor)
        seconds += seed(options.cases - first, first=not first)
        print(f"seed_demo --cases {options.cases} --no-analyze (in two runs, "
              f"{first} then the rest): {seconds:.1f} s", flush=True)  # fmt: skip
    users, held = bench_users()
    with connection.cursor() as cursor:
        if options.no_statistics:
            statistics_off(cursor)  # the benchmark's own updates gathered none either
        else:
            autovacuum_off(cursor)
    if "pages" in options.parts:
        measure_both(users, held, options)
    with connection.cursor() as cursor:
        autovacuum_on(cursor)
    if "reminders" in options.parts:
        print("reminders:", reminder_figures(options.runs), flush=True)
    if "exports" in options.parts:
        print("exports:", export_figures(options.runs, options.xlsx_rows), flush=True)
    if "background" in options.parts:
        background_figures(users["staff"], options.poll_seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="asylum_intake_bench_scale")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/2", help="a Redis of its own")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/3",
                        help="the Redis the background exports' worker takes jobs from")
    parser.add_argument("--poll-seconds", type=float, default=5.0)
    parser.add_argument("--reuse", action="store_true", help="measure the seeded database")
    parser.add_argument("--stale-at", type=float, default=1 / 3,
                        help="the share of the cases seeded before the one ANALYZE")
    parser.add_argument("--no-statistics", action="store_true",
                        help="no statistics at all (as if autovacuum never ran)")
    parser.add_argument("--parts", nargs="*", default=["pages", "reminders", "exports"],
                        help="also: background (1M rows exported as a job, CSV and XLSX)")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    main(parser.parse_args())
