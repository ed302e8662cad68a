"""The staff export of the dashboard's list."""

from django.http import (
    HttpResponseBadRequest,
    StreamingHttpResponse,
)

from .. import exports, selectors, services
from ..timezones import today
from .common import staff_view

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@staff_view("cases.export_cases")
def export(request):
    """The dashboard's current list as CSV or XLSX; every export is recorded."""
    kind = request.GET.get("format", "")
    if kind not in EXPORT_TYPES:
        return HttpResponseBadRequest(
            "Unknown format: use format=csv or format=xlsx.", content_type="text/plain"
        )
    case_filter, errors = selectors.export_filter(user=request.user, params=request.GET)
    if errors:
        return HttpResponseBadRequest(
            "This export cannot be made:\n" + "\n".join(errors), content_type="text/plain"
        )
    cases = selectors.dashboard_cases(case_filter)
    services.export_record(user=request.user, params=request.GET, kind=kind, rows=cases.count())
    values = exports.export_values(cases)
    chunks = (
        exports.csv_chunks(values) if kind == "csv"
        else exports.file_chunks(exports.xlsx_file(values))
    )  # fmt: skip
    response = StreamingHttpResponse(chunks, content_type=EXPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="cases-{today():%Y-%m-%d}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response

