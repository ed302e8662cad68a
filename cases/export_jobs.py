"""Exports too big for one request (more rows than settings.EXPORT_ASYNC_THRESHOLD): the
job is asked for on the web, written by a worker, downloaded by its owner, swept away.

The lifecycle, and who moves it:

    queued  --worker claims it (conditional UPDATE)-->  running  --file complete-->  done
                                                           |
             worker raised, timed out, or stopped writing  +-->  failed ("try again")

The worker writes the encrypted file under a temporary name and renames it only once it is
whole; "done" is set after the rename, by a conditional UPDATE that also requires the job to
be still running. A worker killed midway leaves a running job whose heartbeat stops moving:
after EXPORT_STALE_SECONDS it is failed (by the page that shows it and by the sweep), and
the part file is deleted. So a half file is never offered as complete.
"""

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from . import exports, selectors, services, storage
from .models import CaseAccess, ExportJob

log = logging.getLogger(__name__)
Status = ExportJob.Status
PROGRESS_SECONDS = 1.0
STOPPED = "The export stopped before it finished. Nothing was kept; try again."
FAILED = "The export could not be written. Nothing was kept; try again."


def export_job_request(*, user, params, kind: str, rows: int) -> ExportJob:
    """A job for these filters, recorded as an export asked for, and queued for a worker
    once the row is committed (a worker must find it)."""
    from .tasks import export_run

    filters = {name: params.getlist(name) for name in params if name != "format"}
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user, filters=filters, format=kind, rows_total=rows,
            expires=timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS),
        )  # fmt: skip
        services.export_record(user=user, params=params, kind=kind, rows=rows, job=job.pk)
        transaction.on_commit(
            lambda: export_run.apply_async((job.pk,), queue=settings.EXPORT_QUEUE)
        )
    return job


def export_job_run(job_id: int) -> str:
    """Write the job's file (the worker's side); safe to run twice: only a queued job is
    claimed, and a job failed meanwhile is never marked done."""
    # The name is the job's from the start, so whoever fails the job can delete its part.
    name = f"{storage.EXPORTS_DIR}/{secrets.token_hex(16)}.enc"
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, heartbeat=timezone.now(), file=name
    )
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        rows = _write(job, name)
        storage.export_complete(name)
    except Exception as error:  # noqa: BLE001 - the owner is told; the log names no data
        log.warning("export job %s failed: %s", job_id, type(error).__name__)
        storage.export_delete(name)
        _fail(job_id, FAILED)
        return "failed"
    done = ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.DONE, rows_written=rows, rows_total=rows,
        finished=timezone.now(), heartbeat=timezone.now(),
    )  # fmt: skip
    if not done:  # failed as stale while it wrote: its owner was already told to try again
        storage.export_delete(name)
        return "failed"
    return "done"


def _write(job: ExportJob, name: str) -> int:
    params = QueryDict(mutable=True)
    for key, values in job.filters.items():
        params.setlist(key, values)
    case_filter, errors = selectors.export_filter(user=job.user, params=params)
    if errors:  # an attorney chosen in the filter left the firm since
        raise ValueError("the filters no longer apply")
    values = exports.export_values(selectors.dashboard_cases(case_filter))
    report = _progress(job.pk)
    with storage.export_open_part(name) as part:
        out = storage.EncryptedPieces(part)
        if job.format == ExportJob.Format.CSV:
            rows = exports.csv_write(values, out, progress=report)
        else:
            # The workbook is zipped into a seekable file, then encrypted piece by piece.
            with exports.tempfile.TemporaryFile() as plain:
                rows = exports.xlsx_write(values, plain, progress=report)
                plain.seek(0)
                while chunk := plain.read(storage.PIECE):
                    out.write(chunk)
        out.close()
    return rows


def _progress(job_id: int):
    """rows written -> the job's row, at most once a second (and its heartbeat with it)."""
    pause = getattr(settings, "EXPORT_TEST_PAUSE_SECONDS", 0)
    last = [time.monotonic()]

    def report(rows: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
                rows_written=rows, heartbeat=timezone.now()
            )
        if pause:
            time.sleep(pause)

    return report


def _fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED, error=message, finished=timezone.now()
    )


def export_jobs_fail_stale(*, now=None) -> int:
    """Running jobs whose worker stopped writing (killed, out of memory, time limit): failed,
    their part files deleted. Called by the job's page and by the sweep."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    stale = ExportJob.objects.filter(status=Status.RUNNING, heartbeat__lt=cutoff)
    failed = 0
    for job in stale.only("pk", "file"):
        # Conditional: a heartbeat that moved meanwhile keeps the job running.
        if ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING,
                                    heartbeat__lt=cutoff).update(
            status=Status.FAILED, error=STOPPED, finished=now,
        ):  # fmt: skip
            storage.export_delete(job.file)
            failed += 1
    return failed


def export_jobs_sweep(*, now=None) -> tuple[int, int]:
    """The beat's sweep: stale jobs failed; expired jobs' files and rows deleted (the audit
    rows of the request and downloads stay). Returns (failed, deleted)."""
    now = now or timezone.now()
    failed = export_jobs_fail_stale(now=now)
    expired = ExportJob.objects.filter(expires__lte=now)
    deleted = 0
    for job in expired.only("pk", "file"):
        if job.file:
            storage.export_delete(job.file)
        deleted += ExportJob.objects.filter(pk=job.pk).delete()[0]
    return failed, deleted


def export_job_downloaded(*, job: ExportJob, user) -> CaseAccess:
    """A download of a finished job, recorded like an export, with the job it came from."""
    return CaseAccess.objects.create(
        case=None, user=user, action=CaseAccess.Action.EXPORT,
        detail={"format": job.format, "filters": job.filters, "rows": job.rows_written,
                "via": "download", "job": job.pk},
    )  # fmt: skip
