"""The dashboard: the firm's case list, its counts and filters."""

from django.shortcuts import render
from django_countries import countries

from .. import selectors
from ..choices import Language
from ..models import (
    Priority,
    Stage,
)
from ..paging import CountedPaginator
from ..timezones import today
from .common import PAGE_SIZE, staff_view


@staff_view()
def dashboard(request):
    case_filter, ignored = selectors.dashboard_filter(user=request.user, params=request.GET)
    cases = selectors.dashboard_cases(case_filter)
    stages, levels, total = selectors.stage_and_level_counts(
        case_filter.qs, whole_caseload=not case_filter.form.has_changed()
    )
    page = CountedPaginator(cases, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    _label_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    chart = selectors.intakes_per_day()
    return render(request, "cases/dashboard.html", {
        "filter": case_filter,
        "ignored": ignored,
        "page": page,
        "query": query.urlencode(),
        "columns": _sort_columns(query),
        "stage_counts": [(value, label, stages[value]) for value, label in Stage.choices],
        "level_counts": [(value, label, levels[value]) for value, label in Priority.choices],
        "total": total,
        "upcoming": selectors.upcoming_deadlines(user=request.user),
        "chart": chart,
        "chart_rows": [
            (day, [counts.get(label, 0) for label, _total in chart["series"]], day_total)
            for day, counts, day_total in chart["table"]
        ],
        "today": today(),
    })  # fmt: skip


STAGE_LABELS, PRIORITY_LABELS = dict(Stage.choices), dict(Priority.choices)
LANGUAGE_LABELS = dict(Language.choices)


def _label_rows(cases) -> None:
    """Display labels looked up once per page, not through get_FOO_display per cell."""
    for case in cases:
        case.stage_label = STAGE_LABELS[case.stage]
        case.priority_label = PRIORITY_LABELS[case.priority]
        case.language_label = LANGUAGE_LABELS.get(case.client.preferred_language, "")
        case.nationality_name = countries.name(case.client.nationality)


SORT_COLUMNS = [
    ("Reference", "reference"), ("Client", "name"), ("Nationality", "nationality"),
    ("Language", "language"), ("Stage", "stage"), ("Level", "priority"),
    ("Attorney", "attorney"), ("Next deadline", "deadline"), ("Created", "created"),
]  # fmt: skip


def _sort_columns(query) -> list[dict]:
    """Each column's header link: sort by it, or reverse the sort if it is the current one."""
    current = query.get("o", "")
    columns = []
    for label, key in SORT_COLUMNS:
        link = query.copy()
        link["o"] = f"-{key}" if current == key else key
        sort = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
        columns.append({"label": label, "url": "?" + link.urlencode(), "sort": sort})
    return columns

