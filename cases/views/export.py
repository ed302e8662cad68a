"""The staff export of the dashboard's list: streamed at once when small, a background job
with a progress page when it has more rows than settings.EXPORT_ASYNC_THRESHOLD."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import export_jobs, exports, selectors, services, storage
from ..models import ExportJob
from ..timezones import today
from .common import staff_view
from .dashboard import dashboard_page

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Seconds between two looks at a job's progress (the script's, and the page's without it).
POLL_SECONDS = 2


@staff_view("cases.export_cases")
def export(request):
    """The dashboard's current list as CSV or XLSX; every export is recorded. Filters it
    cannot use are said on the dashboard, with the list they would have changed."""
    kind = request.GET.get("format", "")
    case_filter, errors = selectors.export_filter(user=request.user, params=request.GET)
    if kind not in EXPORT_TYPES:
        errors.insert(0, "Unknown format: use format=csv or format=xlsx.")
    if errors:
        return _refused(request, errors)
    cases = selectors.dashboard_cases(case_filter)
    rows = cases.count()
    if kind == "xlsx" and rows > exports.XLSX_MAX_ROWS:
        return _refused(request, [
            f"an XLSX sheet holds at most {exports.XLSX_MAX_ROWS:,} rows and this list has "
            f"{rows:,}: export it as CSV, or narrow the filters"
        ])  # fmt: skip
    if rows > settings.EXPORT_ASYNC_THRESHOLD:
        job = export_jobs.export_job_request(
            user=request.user, params=request.GET, kind=kind, rows=rows
        )
        return redirect("cases:export_job", pk=job.pk)
    services.export_record(user=request.user, params=request.GET, kind=kind, rows=rows)
    values = exports.export_values(cases)
    chunks = (
        exports.csv_chunks(values) if kind == "csv"
        else exports.file_chunks(exports.xlsx_file(values))
    )  # fmt: skip
    return _attachment(chunks, kind)


def _refused(request, errors):
    """The dashboard of these filters (those it can use), saying why nothing was exported."""
    params = request.GET.copy()
    params.pop("format", None)
    return dashboard_page(request, params, export_errors=errors, status=400)


def _attachment(chunks, kind: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=EXPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="cases-{today():%Y-%m-%d}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


def _job(request, pk) -> ExportJob:
    """The user's own job; anyone else's is not found (not even that it exists)."""
    export_jobs.export_jobs_fail_stale()
    return get_object_or_404(ExportJob, pk=pk, user=request.user, expires__gt=timezone.now())


def _state(job: ExportJob) -> dict:
    done = job.status == ExportJob.Status.DONE
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "rows_written": job.rows_written,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "error": job.error,
        "download": reverse("cases:export_job_download", args=[job.pk]) if done else "",
    }


@staff_view("cases.export_cases")
def export_job(request, pk):
    """A background export's page: its progress bar (updated by static/js/export_job.js,
    or by the page refreshing itself without JavaScript), then the download link."""
    job = _job(request, pk)
    finished = job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    return render(request, "cases/export_job.html", {
        "job": job, "state": _state(job), "finished": finished, "poll_seconds": POLL_SECONDS,
        "filters": sorted(job.filters.items()), "keep_hours": settings.EXPORT_KEEP_HOURS,
        "query": urlencode(job.filters, doseq=True),
    })  # fmt: skip


@staff_view("cases.export_cases")
def export_job_status(request, pk):
    """The job's progress as JSON, for the page's script."""
    return JsonResponse(_state(_job(request, pk)))


@staff_view("cases.export_cases")
def export_job_download(request, pk):
    """The finished file, to its owner only, decrypted as it is sent; recorded."""
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not storage.export_exists(job.file):
        raise Http404("This export is not ready.")
    export_jobs.export_job_downloaded(job=job, user=request.user)
    return _attachment(storage.export_chunks(job.file), job.format)
