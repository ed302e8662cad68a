"""Celery tasks of the firm's side: thin; they call the reminder runs."""

from datetime import date

from celery import shared_task

from . import alerts, export_jobs, preparation_links, reminder_runs, services, tally
from .timezones import today


def _day(day: str | None) -> date:
    return date.fromisoformat(day) if day else today()


@shared_task
def send_reminders(day: str | None = None) -> int:
    """The daily digests; `day` (ISO) lets a catch-up or a test name the day."""
    return reminder_runs.reminders_run(today=_day(day))


@shared_task
def send_critical_reminders(day: str | None = None) -> int:
    return reminder_runs.critical_run(today=_day(day))


@shared_task
def retriage(day: str | None = None) -> int:
    """Every open case assessed again for the day (deadlines come nearer)."""
    return services.cases_retriage(today=_day(day))


@shared_task
def send_triage_digests() -> int:
    """The new intakes waiting for each recipient's digest (cases.alerts); safe to run twice."""
    return alerts.triage_digests_run()


@shared_task
def export_run(job_id: int) -> str:
    """A background export (cases.export_jobs): claims the queued job, writes its file."""
    return export_jobs.export_job_run(job_id)


@shared_task
def sweep_exports() -> tuple[int, int]:
    """Stale export jobs failed, expired ones deleted with their files (beat)."""
    return export_jobs.export_jobs_sweep()


@shared_task
def compact_tally() -> int:
    """The caseload's tally summed into a row per key (beat), so the counts stay cheap."""
    return tally.tally_compact()


@shared_task
def new_link_asked(email: str) -> int:
    """Someone asked for a new secure link for `email` (intake:prepare_new_link). Run by the
    worker, so the request costs the same whether or not the address is a client's; it takes
    the address, as the password reset does. Safe to run twice (one notice an hour a case)."""
    return preparation_links.preparation_link_asked(email=email)
