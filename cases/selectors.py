"""Reads for the firm's pages: what the dashboard and the case page show."""

from collections import Counter
from datetime import timedelta

from django.db.models import Count, F, Q

from .caching import cached
from .charts import intakes_chart
from .filters import CaseFilter
from .models import Case, CaseAccess, Client, Deadline, DeadlineStatus, FamilyMember
from .names import fold_tokens, similar_names
from .timezones import today

DEFAULT_ORDER = (F("priority").asc(), F("next_deadline_date").asc(nulls_last=True), "-pk")
CHART_CACHE_SECONDS = 300


def dashboard_filter(*, user, params) -> tuple[CaseFilter, list[str]]:
    """The filter for these URL parameters; values it cannot use are dropped and named."""
    queryset = Case.objects.select_related("client", "assigned_attorney")
    case_filter = CaseFilter(params, queryset=queryset, user=user)
    ignored = []
    if case_filter.is_bound and not case_filter.form.is_valid():
        ignored = sorted(case_filter.form.errors)
        usable = params.copy()
        for name in ignored:
            usable.pop(name, None)
            for suffix in ("_after", "_before", "_min", "_max"):
                usable.pop(name + suffix, None)
        case_filter = CaseFilter(usable, queryset=queryset, user=user)
    return case_filter, ignored


EXPORT_PARAMS = {"format", "created_after", "created_before"}


def export_filter(*, user, params) -> tuple[CaseFilter, list[str]]:
    """The dashboard's filter, strictly: unknown names or values are errors, not ignored."""
    known = set(CaseFilter.base_filters) | EXPORT_PARAMS
    errors = [f"Unknown filter: {name}" for name in sorted(set(params) - known)]
    queryset = Case.objects.select_related("client", "assigned_attorney")
    case_filter = CaseFilter(params, queryset=queryset, user=user)
    if not case_filter.form.is_valid():
        for name, messages in sorted(case_filter.form.errors.items()):
            errors.append(f"{name}: {' '.join(messages)}")
    return case_filter, errors


def dashboard_cases(case_filter: CaseFilter):
    queryset = case_filter.qs
    if not case_filter.form.cleaned_data.get("o"):
        queryset = queryset.order_by(*DEFAULT_ORDER)
    return queryset


COUNTS_CACHE_SECONDS = 60


def stage_and_level_counts(queryset, *, whole_caseload=False) -> tuple[Counter, Counter, int]:
    """Counts per stage and per level, and the total, from one GROUP BY query.

    The unfiltered counts scan every case; a minute old is good enough for them.
    """

    def count():
        rows = queryset.order_by().values("stage", "priority").annotate(n=Count("pk"))
        return [(row["stage"], row["priority"], row["n"]) for row in rows]

    rows = cached("case-counts", count, COUNTS_CACHE_SECONDS) if whole_caseload else count()
    stages, levels = Counter(), Counter()
    for stage, priority, n in rows:
        stages[stage] += n
        levels[priority] += n
    return stages, levels, sum(stages.values())


def upcoming_deadlines(*, user, days: int = 30, limit: int = 12) -> list[Deadline]:
    """Open deadlines due within `days` or overdue: an attorney's own cases; all for staff."""
    horizon = today() + timedelta(days=days)
    deadlines = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lte=horizon)
    if user.has_perm("cases.assign_case"):
        deadlines = deadlines.filter(case__assigned_attorney=user)
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
