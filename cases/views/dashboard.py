"""The dashboard: the triage queue, the firm's case list, its counts and filters, saved
filters and the bulk form."""

from django.shortcuts import render
from django_countries import countries

from .. import selectors
from ..choices import Language
from ..dashboard_forms import BulkForm, SaveFilterForm
from ..models import (
    Priority,
    Stage,
)
from ..paging import CountedPaginator
from ..queue import ENDED, PRESETS
from ..saved_filters import saved_filters_of
from ..timezones import today
from .common import PAGE_SIZE, staff_view


@staff_view()
def dashboard(request):
    return dashboard_page(request, request.GET)


def dashboard_page(request, params, *, save_form=None, bulk_form=None, export_errors=(),
                   status=200):  # fmt: skip
    """The page for these query parameters; a form passed in comes back with its errors,
    an export refused with why (cases.views.export)."""
    case_filter, ignored = selectors.dashboard_filter(user=request.user, params=params)
    attorneys = _attorneys(case_filter)
    cases = selectors.dashboard_cases(case_filter)
    query = params.copy()
    query.pop("page", None)
    # No filter or sort asked for, on the first page: the page opens on the triage queue.
    show_queue = not query and params.get("page", "1") in ("", "1")
    stages, levels, total, by_section = selectors.stage_and_level_counts(
        case_filter.qs, whole_caseload=selectors.unfiltered(case_filter),
        sections=show_queue, user=request.user,
    )  # fmt: skip
    queue = None
    if show_queue:  # the list's first page comes in the queue's one query
        queue, cases = selectors.triage_queue(counts=by_section, cases=cases, rows=PAGE_SIZE + 1)
    page = CountedPaginator(cases, PAGE_SIZE, count=total).get_page(params.get("page"))
    _label_rows([*page.object_list, *_queue_rows(queue)])
    own_deadlines = request.user.has_perm("cases.assign_case")
    # The overdue count comes with the queue's counts; a filtered list links to them only.
    overdue_count = by_section["overdue_mine" if own_deadlines else "overdue_any"]
    chart = selectors.intakes_per_day()
    return render(request, "cases/dashboard.html", {
        "filter": case_filter,
        "ignored": ignored,
        "export_errors": export_errors,
        "page": page,
        "query": query.urlencode(),
        "columns": _sort_columns(query),
        "stage_counts": [(value, label, stages[value]) for value, label in Stage.choices],
        "ended_listed": _ended_listed(case_filter),
        "ended_stages": list(ENDED),
        "filter_fields": [(field, ignored.get(field.name, "")) for field in case_filter.form
                          if field.name != "o"],
        "level_counts": [(value, label, levels[value]) for value, label in Priority.choices],
        "total": total,
        "queue": queue,
        "upcoming": selectors.upcoming_deadlines(user=request.user),
        "own_deadlines": own_deadlines,
        "overdue_count": overdue_count if show_queue else None,
        "presets": PRESETS,
        "saved_filters": saved_filters_of(request.user),
        "save_form": save_form or SaveFilterForm(
            user=request.user, initial={"query": query.urlencode()}
        ),
        "bulk_form": bulk_form or BulkForm(
            user=request.user, attorneys=attorneys, initial={"next": query.urlencode()}
        ),
        "may_bulk": request.user.has_perm("cases.change_case"),
        "chart": chart,
        "chart_rows": [
            (day, [counts.get(label, 0) for label, _total in chart["series"]], day_total)
            for day, counts, day_total in chart["table"]
        ],
        "today": today(),
    }, status=status)  # fmt: skip


def _attorneys(case_filter) -> list[tuple[str, str]]:
    """The attorneys as (pk, name), read once for the filter's select and the bulk form."""
    field = case_filter.form.fields["attorney"]
    # Callable choices are read again on every use; the empty choice is added back by the field.
    field.choices = [choice for choice in field.choices if choice[0] != ""]
    return [(value, label) for value, label in field.choices if str(value).isdigit()]


def _queue_rows(queue) -> list:
    return [case for section in queue for case in section["cases"]] if queue else []


def _ended_listed(case_filter) -> bool:
    data = case_filter.form.cleaned_data
    return bool(data.get("include_ended") or set(data.get("stage") or []) & set(ENDED))


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

