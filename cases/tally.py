"""The open caseload's counts from the tally PostgreSQL keeps (cases.models.tally): read as
the dashboard's GROUP BY would give them, and compacted now and then (beat)."""

from collections import Counter
from datetime import date

from django.db import connection
from django.db.models import Count, Q, Sum, Value

from .models import Case, CaseTally
from .queue import ENDED, deadline_bucket, open_case_q


def tally_kept() -> bool:
    """The triggers exist on PostgreSQL only; elsewhere (the SQLite demo) counts are taken
    from the cases themselves."""
    return connection.vendor == "postgresql"


def open_count_rows(*, on: date, user=None) -> list[tuple[str, str, str, int, int]]:
    """(stage, priority, deadline bucket, mine, n) over the open cases, as
    selectors.stage_and_level_counts groups them, from one query: the tally's sums, and the
    user's own cases (as their attorney; an index range) counted apart to tell "mine"."""
    open_keys = ~Q(stage__in=ENDED) & Q(merged=False)  # cases.queue.open_case_q, on the tally
    rows = CaseTally.objects.filter(open_keys).order_by().values("stage", "priority").annotate(
        bucket=deadline_bucket(on), mine=Value(0), n=Sum("n")
    )
    if user is not None:
        theirs = Case.objects.filter(open_case_q(), assigned_attorney=user).order_by()
        rows = rows.union(theirs.values("stage", "priority").annotate(
            bucket=deadline_bucket(on), mine=Value(1), n=Count("pk")
        ), all=True)  # fmt: skip
    totals, mine = Counter(), Counter()
    for row in rows:
        (mine if row["mine"] else totals)[row["stage"], row["priority"], row["bucket"]] += row["n"]
    return [(*key, 0, n - mine[key]) for key, n in totals.items() if n] + [
        (*key, 1, n) for key, n in mine.items()
    ]


# Every tally row of the same key summed into one, keys that sum to nothing dropped. Rows a
# concurrent transaction adds meanwhile are not seen by the DELETE and stay as they are, so
# the sums hold however often and wherever this runs.
COMPACT_SQL = """
WITH gone AS (
    DELETE FROM cases_casetally RETURNING stage, priority, next_deadline_date, merged, n
)
INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n)
SELECT stage, priority, next_deadline_date, merged, SUM(n) FROM gone
GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0
"""


def tally_compact() -> int:
    """Rows left in the tally (one per key with cases)."""
    if not tally_kept():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_SQL)
        return cursor.rowcount
