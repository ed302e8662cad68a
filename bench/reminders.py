"""The daily reminder run over a large caseload: time and queries per attorney.

Run: .venv/bin/python bench/reminders.py   (after bench/dashboard.py has seeded asylum_bench)
Spreads the seeded cases over 50 attorneys, then times cases.reminder_runs.reminders_run for
today, inside a transaction that is rolled back (so no e-mail leaves and runs can repeat).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

common.use_bench_settings()
ATTORNEYS = 50


def main(runs: int = 5):
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.models import Case, Deadline
    from cases.reminder_runs import reminders_run

    call_command("migrate", verbosity=0)

    group = Group.objects.get(name="attorneys")
    users = []
    for i in range(ATTORNEYS):
        user, _ = User.objects.get_or_create(
            username=f"bench-attorney-{i}", defaults={"email": f"a{i}@firm.example"}
        )
        user.groups.add(group)
        users.append(user)
    with connection.cursor() as cursor:  # round-robin, in one statement
        cursor.execute(
            "UPDATE cases_case SET assigned_attorney_id = (%s)[1 + (id %% %s)]",
            [[u.pk for u in users], ATTORNEYS],
        )
    Deadline.objects.update(status="open")
    open_deadlines = Deadline.objects.filter(status="open").count()
    today = timezone.localdate()
    times, queries, digests = [], [], 0
    for _ in range(runs):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                digests = reminders_run(today=today)
                times.append(time.perf_counter() - started)
            queries.append(len(captured))
            transaction.set_rollback(True)
    # Three reads for the whole run (due deadlines, reminders sent, triage duty), then the
    # same few statements for each digest.
    per_digest = (queries[0] - 3) / max(digests, 1)
    print(f"cases {Case.objects.count()}, open deadlines {open_deadlines}, "
          f"attorneys {ATTORNEYS}, digests queued {digests}")
    print(f"reminders_run: median {statistics.median(times):.2f} s over {runs} runs; "
          f"{queries[0]} queries: 3 + {per_digest:g} per digest")


if __name__ == "__main__":
    main()
