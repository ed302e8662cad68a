"""The caseload's tally: how many cases there are of each stage, level and next deadline,
kept by PostgreSQL itself, so the dashboard's counts read a few thousand rows instead of
every open case (at a million cases the GROUP BY over them took a second per page).

Triggers on cases_case add one row per statement and key with the change in the count
(+ for cases that arrived at a key, - for those that left it), whatever wrote the rows: a
service, a bulk update, the admin, COPY. Rows are only inserted, so concurrent writers never
wait on each other; cases.tally sums them, and compacts them from time to time.
"""

import pgtrigger
from django.db import models


class CaseTally(models.Model):
    stage = models.CharField(max_length=20)
    priority = models.CharField(max_length=10)
    next_deadline_date = models.DateField(null=True)
    merged = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        verbose_name_plural = "case tallies"

    def __str__(self):
        return f"{self.stage} {self.priority} {self.next_deadline_date} {self.n:+d}"


_KEY = "stage, priority, next_deadline_date, merged_into_id IS NOT NULL"
_INSERT = "INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n) "


def _moved(select: str) -> str:
    return (
        f"{_INSERT} SELECT stage, priority, next_deadline_date, merged, SUM(n) "
        f"FROM ({select}) AS moved GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0; RETURN NULL;"
    )


def _rows(table: str, sign: int) -> str:
    return f"SELECT {_KEY} AS merged, {sign} AS n FROM {table}"


# Statement-level, with transition tables: one INSERT per statement, however many rows it
# wrote (a COPY of 100,000 cases adds a few hundred tally rows, not 100,000). An update that
# leaves every key as it was (most edits) adds nothing.
TALLY_TRIGGERS = [
    pgtrigger.Trigger(
        name="tally_insert", operation=pgtrigger.Insert, when=pgtrigger.After,
        level=pgtrigger.Statement, referencing=pgtrigger.Referencing(new="new_rows"),
        func=_moved(_rows("new_rows", 1)),
    ),
    pgtrigger.Trigger(
        name="tally_update", operation=pgtrigger.Update, when=pgtrigger.After,
        level=pgtrigger.Statement,
        referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
        func=_moved(f"{_rows('old_rows', -1)} UNION ALL {_rows('new_rows', 1)}"),
    ),
    pgtrigger.Trigger(
        name="tally_delete", operation=pgtrigger.Delete, when=pgtrigger.After,
        level=pgtrigger.Statement, referencing=pgtrigger.Referencing(old="old_rows"),
        func=_moved(_rows("old_rows", -1)),
    ),
]  # fmt: skip
