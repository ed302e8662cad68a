"""An export too big for one request: the job a worker runs, its progress, and the
encrypted file it leaves for the user who asked (cases.export_jobs)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportJob(models.Model):
    """One background export: asked by `user` with the dashboard's filters, written by a
    worker (rows_written of rows_total), kept encrypted at rest until `expires`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    # The URL parameters as submitted (name -> list of values), without the format.
    filters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_written = models.PositiveIntegerField(default=0)
    # Counted when asked; once done, the rows the file holds (cases may arrive meanwhile).
    rows_total = models.PositiveIntegerField(default=0)
    # Relative to MEDIA_ROOT, under exports/; set only once the whole file is there.
    file = models.CharField(max_length=100, blank=True)
    # What the owner is told; never a value from the cases (no names, no query text).
    error = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # The worker touches it as it writes; a running job whose heartbeat is old lost its worker.
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="export_job_done_has_file"
            ),
        ]

    def __str__(self):
        return f"Export {self.pk} ({self.format}, {self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_written * 100 // self.rows_total)
