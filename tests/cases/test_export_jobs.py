"""Exports that finish: past EXPORT_ASYNC_THRESHOLD rows the export is a job a real celery
worker writes; its page shows the progress and then the download, to its owner only; the
file is encrypted at rest, deleted when the job expires; a worker killed in the middle leaves
"failed, try again", never a half file offered as complete."""

import io
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from cases import export_jobs, exports, storage, tasks
from cases.models import CaseAccess, ExportJob

from ..conftest import browser_of, verified_login
from ..factories import CaseFactory, ClientFactory, member_of
from ..worker import start_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
HOSTILE = 'O\'Brien "the, quoted"\nsecond line 🙂'


@pytest.fixture
def staff(client, paralegal):
    verified_login(client, paralegal)
    return paralegal


@pytest.fixture
def threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 3


def caseload(n=4, stage="new"):
    return [CaseFactory(stage=stage, client=ClientFactory(family_name=f"{HOSTILE} {i}"))
            for i in range(n)]  # fmt: skip


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def wait_for(condition, timeout=60.0, what="the job"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def job_done(job) -> bool:
    job.refresh_from_db()
    return job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)


def new_job(user, kind="csv", **filters) -> ExportJob:
    return ExportJob.objects.create(
        user=user, format=kind, filters=filters, rows_total=4,
        expires=timezone.now() + timedelta(hours=24),
    )  # fmt: skip


def test_up_to_the_threshold_the_export_streams_at_once(client, staff, threshold):
    caseload(3)
    response = client.get("/cases/export/?format=csv")
    assert response.status_code == 200 and response.streaming
    assert len(body(response).splitlines()) >= 4
    assert not ExportJob.objects.exists()


def test_past_the_threshold_the_export_is_a_job_with_a_page(client, staff, threshold):
    caseload(4)
    response = client.get("/cases/export/?format=xlsx&stage=new&q=politov")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/export/{job.pk}/"
    assert (job.user, job.format, job.rows_total) == (staff, "xlsx", 4)
    assert job.filters == {"stage": ["new"], "q": ["politov"]}
    hours = (job.expires - job.created).total_seconds() / 3600
    assert round(hours) == django_settings.EXPORT_KEEP_HOURS == 24
    record = CaseAccess.objects.get(action="export")
    assert record.user == staff
    assert record.detail == {"format": "xlsx", "filters": {"stage": ["new"], "q": ["politov"]},
                             "rows": 4, "via": "web", "job": job.pk}  # fmt: skip
    page = client.get(response["Location"])
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert '<progress id="export-progress"' in html and "of <span" in html
    if job.status in ("queued", "running"):  # a session worker may already have it
        assert '<noscript><meta http-equiv="refresh"' in html
        assert 'id="export-refresh" class="btn btn-outline-secondary" href=' in html
    assert "/static/js/export_job.js" in html


def test_the_job_is_its_owners_alone(client, staff, threshold):
    job = new_job(staff)
    other = browser_of(member_of("colleague", "staff"))
    for url in (f"/cases/export/{job.pk}/", f"/cases/export/{job.pk}/status/",
                f"/cases/export/{job.pk}/download/", "/cases/export/999999/"):  # fmt: skip
        assert other.get(url).status_code == 404, url
    attorney = browser_of(member_of("lawyer", "attorneys"))  # no export permission
    assert attorney.get(f"/cases/export/{job.pk}/").status_code == 403
    assert client.get(f"/cases/export/{job.pk}/").status_code == 200
    # Not done yet: nothing to download, even for the owner.
    assert client.get(f"/cases/export/{job.pk}/download/").status_code == 404


def test_the_progress_json(client, staff):
    job = new_job(staff)
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_written=1,
                                               heartbeat=timezone.now())  # fmt: skip
    state = client.get(f"/cases/export/{job.pk}/status/").json()
    assert state == {"status": "running", "label": "Being written", "rows_written": 1,
                     "rows_total": 4, "percent": 25, "error": "", "download": ""}  # fmt: skip


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_real_worker_writes_it_and_the_owner_downloads_it(
    client, staff, threshold, settings, celery_worker_process, kind
):
    settings.MEDIA_ROOT = celery_worker_process.media_root
    cases = caseload(4)
    CaseFactory(stage="filed")  # filtered out
    response = client.get(f"/cases/export/?format={kind}&stage=new")
    job = ExportJob.objects.get()
    wait_for(lambda: job_done(job))
    assert job.status == "done", job.error
    assert (job.rows_written, job.rows_total) == (4, 4) and job.finished
    state = client.get(f"/cases/export/{job.pk}/status/").json()
    download = f"/cases/export/{job.pk}/download/"
    assert state["status"] == "done" and state["percent"] == 100 and state["download"] == download
    html = client.get(response["Location"]).content.decode()
    assert "Ready to download" in html and f'href="{download}"' in html
    assert "noscript" not in html  # finished: no more refreshing

    # At rest: Fernet tokens only, under a name of ours, nothing of the rows readable.
    stored = Path(storage.export_path(job.file)).read_bytes()
    assert stored.startswith(b"gAAAA") and b"Politov" not in stored
    assert cases[0].reference.encode() not in stored
    data = body(client.get(download))
    if kind == "csv":
        settings.EXPORT_ASYNC_THRESHOLD = 1000
        assert data == body(client.get("/cases/export/?format=csv&stage=new"))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        refs = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
        assert refs == sorted(c.reference for c in cases)
        assert sheet.freeze_panes == "A2"
    downloads = CaseAccess.objects.filter(action="export", detail__via="download")
    assert [(d.user, d.detail["job"], d.detail["rows"]) for d in downloads] == [(staff, job.pk, 4)]
    # Twice is harmless: a job already done is not claimed again.
    assert export_jobs.export_job_run(job.pk) == "not queued"


def test_a_worker_killed_mid_export_leaves_failed_try_again(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    caseload(8)
    job = new_job(staff, kind="xlsx")
    worker = start_worker("export-kill-test", tmp_path / "worker.log",
                          DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
                          EXPORT_TEST_PAUSE_SECONDS="0.5")  # fmt: skip
    try:
        tasks.export_run.apply_async((job.pk,), queue="export-kill-test")
        wait_for(lambda: job.refresh_from_db() or job.rows_written > 0, what="rows written")
        assert job.status == "running"
        assert os.path.exists(storage.export_part(job.file))  # being written, under .part
        assert not storage.export_exists(job.file)
        state = client.get(f"/cases/export/{job.pk}/status/").json()
        assert state["status"] == "running" and 0 < state["percent"] < 100
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, mid-export
        worker.wait(10)
    job.refresh_from_db()
    assert job.status == "running" and job.rows_written < 8  # it never finished

    settings.EXPORT_STALE_SECONDS = 1
    time.sleep(1.2)  # the heartbeat stopped with the worker
    html = client.get(f"/cases/export/{job.pk}/").content.decode()
    assert "Failed" in html and export_jobs.STOPPED in html
    assert "/download/" not in html and "Back to the list to try again" in html
    state = client.get(f"/cases/export/{job.pk}/status/").json()
    assert state["status"] == "failed" and state["download"] == ""
    assert client.get(f"/cases/export/{job.pk}/download/").status_code == 404
    assert not os.path.exists(storage.export_part(job.file))  # the half file is gone
    assert not storage.export_exists(job.file)


def test_expired_jobs_and_their_files_are_deleted(client, staff, settings):
    caseload(4)
    old, recent = new_job(staff), new_job(staff, kind="xlsx")
    assert export_jobs.export_job_run(old.pk) == "done"
    assert export_jobs.export_job_run(recent.pk) == "done"
    old.refresh_from_db()
    recent.refresh_from_db()
    assert storage.export_exists(old.file) and storage.export_exists(recent.file)
    body(client.get(f"/cases/export/{old.pk}/download/"))
    ExportJob.objects.filter(pk=old.pk).update(expires=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/cases/export/{old.pk}/").status_code == 404  # expired: gone already
    # A job whose worker vanished, its part file left behind.
    lost = new_job(staff)
    ExportJob.objects.filter(pk=lost.pk).update(
        status="running", file="exports/lost.enc", heartbeat=timezone.now() - timedelta(hours=1)
    )
    with storage.export_open_part("exports/lost.enc") as part:
        part.write(b"half")

    assert tasks.sweep_exports() == (1, 1)
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(storage.export_path(old.file))
    assert storage.export_exists(recent.file)
    assert ExportJob.objects.get(pk=lost.pk).status == "failed"
    assert not os.path.exists(storage.export_part("exports/lost.enc"))
    # The audit trail stays: the download of the deleted job is still on record.
    assert CaseAccess.objects.filter(detail__via="download", detail__job=old.pk).exists()


def test_a_job_failed_while_it_wrote_is_never_marked_done(staff, settings, monkeypatch):
    """The stale check fails a slow job; the worker finishing afterwards leaves it failed
    and deletes its file, rather than offering it."""
    caseload(4)
    job = new_job(staff)
    real_write = export_jobs._write

    def write_then_found_stale(job, name):
        rows = real_write(job, name)
        ExportJob.objects.filter(pk=job.pk).update(status="failed", error=export_jobs.STOPPED)
        return rows

    monkeypatch.setattr(export_jobs, "_write", write_then_found_stale)
    assert export_jobs.export_job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and not storage.export_exists(job.file)
    assert not os.listdir(storage.export_path(storage.EXPORTS_DIR))


def test_the_csv_row_count_ignores_line_feeds_inside_quotes():
    counter = exports.CsvRecords()
    counter.feed(b'a,"one\nt')
    counter.feed(b'wo ""x""\n",b\n')
    assert counter.feed(b"c,d\n") == 2
