"""Reads for the firm's pages: what the dashboard and the case page show."""

from collections import Counter
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Q, Value, When

from .caching import cached
from .charts import intakes_chart
from .filters import CaseFilter, filter_params
from .models import Case, CaseAccess, Client, Deadline, DeadlineStatus, FamilyMember
from .names import fold_tokens, similar_names
from .queue import SECTIONS, deadline_bucket, open_case_q, section_of, section_q
from .tally import open_count_rows, tally_kept
from .timezones import today

DEFAULT_ORDER = (F("priority").asc(), F("next_deadline_date").asc(nulls_last=True), "-pk")
CHART_CACHE_SECONDS = 300


def open_cases(queryset=None):
    """The cases the firm still works on (cases.queue.open_case_q): every queue, the default
    list and the upcoming deadlines start from here."""
    queryset = Case.objects.all() if queryset is None else queryset
    return queryset.filter(open_case_q())


def dashboard_filter(*, user, params) -> tuple[CaseFilter, dict[str, str]]:
    """The filter for these URL parameters; values it cannot use are dropped and named, each
    with why (field name -> "Label: message")."""
    queryset = Case.objects.select_related("client", "assigned_attorney")
    case_filter = CaseFilter(params, queryset=queryset, user=user)
    ignored = {}
    if case_filter.is_bound and not case_filter.form.is_valid():
        fields = case_filter.form.fields
        ignored = {
            name: f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
            for name, errors in sorted(case_filter.form.errors.items())
        }
        usable = params.copy()
        for name in ignored:
            usable.pop(name, None)
            for suffix in ("_after", "_before", "_min", "_max"):
                usable.pop(name + suffix, None)
        case_filter = CaseFilter(usable, queryset=queryset, user=user)
    return case_filter, ignored


EXPORT_PARAMS = {"format"}


def export_filter(*, user, params) -> tuple[CaseFilter, list[str]]:
    """The dashboard's filter, strictly: unknown names or values are errors, not ignored."""
    known = set(filter_params()) | EXPORT_PARAMS
    errors = [f"Unknown filter: {name}" for name in sorted(set(params) - known)]
    queryset = Case.objects.select_related("client", "assigned_attorney")
    case_filter = CaseFilter(params, queryset=queryset, user=user)
    if not case_filter.form.is_valid():
        for name, messages in sorted(case_filter.form.errors.items()):
            errors.append(f"{name}: {' '.join(messages)}")
    return case_filter, errors


def unfiltered(case_filter: CaseFilter) -> bool:
    """No filter asked for (a sort or a page may be): the list is the whole open caseload.
    Not form.has_changed(): an unticked box counts as a change from its initial None."""
    data = case_filter.form.cleaned_data
    return not any(value for name, value in data.items() if name != "o")


def dashboard_cases(case_filter: CaseFilter):
    queryset = case_filter.qs
    if not case_filter.form.cleaned_data.get("o"):
        queryset = queryset.order_by(*DEFAULT_ORDER)
    return queryset


def stage_and_level_counts(queryset, *, whole_caseload=False, sections=False, user=None) -> tuple[
    Counter, Counter, int, Counter
]:  # fmt: skip
    """Counts per stage and per level, the total, and (sections=True, on the open cases the
    queue shows) per triage queue section. With sections, also the open cases with an
    overdue deadline: "overdue_any", and "overdue_mine" as `user`'s attorney (a case's next
    deadline is its earliest open one, so it tells).

    The whole open caseload (the unfiltered dashboard) is counted from the tally the
    database keeps (cases.tally), as fresh as the rows listed beside it; a filtered list by
    one GROUP BY over the cases it holds.
    """
    on = today()
    if whole_caseload and tally_kept():
        rows = open_count_rows(on=on, user=user if sections else None)
    else:
        rows = queryset.order_by().values("stage", "priority")
        if sections:
            rows = rows.annotate(
                bucket=deadline_bucket(on),
                mine=_flag(Q(assigned_attorney=user) if user else Q(pk__in=[])),
            )
        rows = [(row["stage"], row["priority"], row.get("bucket", ""), row.get("mine", 0),
                 row["n"]) for row in rows.annotate(n=Count("pk"))]  # fmt: skip
    stages, levels, by_section = Counter(), Counter(), Counter()
    for stage, priority, bucket, mine, n in rows:
        stages[stage] += n
        levels[priority] += n
        if sections:
            by_section[section_of(stage, bucket)] += n
            late = bucket == "overdue"
            by_section["overdue_any"] += n if late else 0
            by_section["overdue_mine"] += n if late and mine else 0
    return stages, levels, sum(stages.values()), by_section


def _flag(condition: Q):
    return SqlCase(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# Rows per queue section on the dashboard; the rest are one "see all" click away.
QUEUE_ROWS = {"new": 15, "week": 10, "month": 10, "overdue": 10}
QUEUE_ORDER = {
    # Critical first, then the nearest deadline, then the newest intake.
    "new": (F("priority").asc(), F("next_deadline_date").asc(nulls_last=True), "-pk"),
    "week": ("next_deadline_date", "priority", "-pk"),
    "month": ("next_deadline_date", "priority", "-pk"),
    # Critical first, then the longest overdue.
    "overdue": ("priority", "next_deadline_date", "-pk"),
}


def triage_queue(*, counts: Counter, cases, rows: int) -> tuple[list[dict], list[Case]]:
    """The dashboard's opening view: each section with its count and first rows, and the
    first `rows` of `cases` (the list below it), from one UNION query whatever the number of
    cases (where the database can order and limit inside a UNION; else one per part)."""
    on = today()
    base = open_cases(Case.objects.select_related("client", "assigned_attorney"))
    parts = [
        base.filter(section_q(key, on)).annotate(section=Value(key))
        .order_by(*QUEUE_ORDER[key])[: QUEUE_ROWS[key]]
        for key, _label in SECTIONS
    ]  # fmt: skip
    parts.append(cases.annotate(section=Value("list"))[:rows])
    found = {key: [] for key, _label in SECTIONS} | {"list": []}
    if connection.features.supports_slicing_ordering_in_compound:
        fetched = parts[0].union(*parts[1:], all=True)
    else:  # SQLite (the demo): a query per part
        fetched = [case for part in parts for case in part]
    for case in fetched:
        found[case.section].append(case)
    # A UNION's rows come in no promised order: each part sorted again as it was asked.
    for key in found:
        found[key].sort(key=_sort_key(key))
    sections = [
        {"key": key, "label": label, "count": counts[key], "cases": found[key],
         "more": counts[key] > len(found[key])}
        for key, label in SECTIONS
    ]  # fmt: skip
    return sections, found["list"]


PRIORITY_RANK = {"critical": 0, "high": 1, "normal": 2}


def _sort_key(section: str):
    def far(case):  # no deadline sorts last, as NULLS LAST does
        return case.next_deadline_date or date.max

    if section in ("new", "overdue", "list"):  # "list": the dashboard's default order
        return lambda c: (PRIORITY_RANK.get(c.priority, 3), far(c), -c.pk)
    return lambda c: (far(c), PRIORITY_RANK.get(c.priority, 3), -c.pk)


def upcoming_deadlines(*, user, days: int = 30, limit: int = 12) -> list[Deadline]:
    """Open deadlines of open cases due from today to `days` ahead, soonest first: an
    attorney's own cases; all for staff. Overdue ones are counted apart (the queue's
    counts), so old overdue deadlines never crowd out a new near one.

    An attorney's are read by the attorney copied on each deadline, one range of the
    deadline_attorney_due index in the order shown: through the case's attorney instead, the
    planner must guess how many of the firm's open deadlines are theirs, and after a bulk
    load (statistics not yet gathered) it guessed wrong and read 53,053 of them to find 12."""
    start = today()
    deadlines = Deadline.objects.filter(
        status=DeadlineStatus.OPEN, due_date__range=(start, start + timedelta(days=days)),
        case__in=open_cases(),
    )  # fmt: skip
    if user.has_perm("cases.assign_case"):
        deadlines = deadlines.filter(attorney=user)
    return list(deadlines.select_related("case__client").order_by("due_date", "pk")[:limit])


def intakes_per_day(*, days: int = 90) -> dict:
    """The chart of intakes per day by nationality; cached, as it changes slowly."""

    def draw():
        since = today() - timedelta(days=days - 1)
        rows = (
            Case.objects.filter(created_at__date__gte=since)
            .values_list("created_at__date", "client__nationality")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return intakes_chart(list(rows), today=today(), days=days)

    return cached(f"intakes-per-day:{days}:{today().isoformat()}", draw, CHART_CACHE_SECONDS)


def conflict_matches(case: Case, limit: int = 50) -> list[dict]:
    """Clients and family members anywhere whose names resemble the names on this case:
    similar keys (pg_trgm; difflib on SQLite), or the same words in another transliteration
    (the folded names: 'Aleksei Politov' for 'Alexey Politov'), which count as 1.0."""
    client = case.client
    names = {client.name_key_latin, client.name_key_native}
    names |= {k for m in client.family.all() for k in (m.name_key_latin, m.name_key_native)}
    names = sorted(n for n in names if n)
    if not names:
        return []
    same_words = Q(pk__in=[])
    for name in names:
        tokens = fold_tokens(name)
        if tokens:
            same_words |= Q(*(Q(name_fold__contains=f" {token}") for token in tokens))
    matches = []
    sources = [
        (Client.objects.exclude(pk=client.pk).select_related("case"), "Client"),
        (FamilyMember.objects.exclude(client=client).select_related("client__case"),
         "Family member"),
    ]  # fmt: skip
    for queryset, kind in sources:
        rows = {row.pk: row for row in similar_names(queryset, names, limit=limit)}
        for row in queryset.filter(same_words).order_by("pk")[:limit]:
            rows.setdefault(row.pk, row).score = 1.0
        for row in rows.values():
            owner = row if kind == "Client" else row.client
            # A client entered by hand in the admin may have no case yet.
            other_case = getattr(owner, "case", None)
            matches.append({
                "kind": kind, "name": f"{row.given_names} {row.family_name}",
                "native": getattr(row, "full_name_native", "") or getattr(row, "name_native", ""),
                "case": other_case, "score": round(row.score, 2),
            })  # fmt: skip
    return sorted(matches, key=lambda m: -m["score"])[:limit]


CONFLICT_CHECKS_SHOWN = 20


def conflict_checks(case: Case) -> list:
    """The conflict checks run on this case, newest first (the audit rows)."""
    rows = case.accesses.filter(action=CaseAccess.Action.CONFLICT_CHECK).select_related("user")
    return list(rows[:CONFLICT_CHECKS_SHOWN])
