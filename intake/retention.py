"""Nothing is kept "just in case": an unsubmitted draft goes, with its uploads, after
INTAKE_DRAFT_RETENTION_DAYS without a change; a submitted draft (the case now holds its
answers, and its uploads belong to the client) after INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS,
long after a double click could submit it twice (services.intake_submit). A preparation
questionnaire's draft follows the same clocks: once sent, the client's records hold every
answer, and a client who comes back finds them there (cases.preparation.prepared_answers)."""

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cases.models import Document

from .models import IntakeDraft, PreparationDraft

log = logging.getLogger(__name__)
BATCH = 500


def drafts_purge(*, now=None) -> int:
    """How many drafts were deleted."""
    now = now or timezone.now()
    unsubmitted = now - timedelta(days=settings.INTAKE_DRAFT_RETENTION_DAYS)
    submitted = now - timedelta(days=settings.INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS)
    expired = IntakeDraft.objects.filter(
        Q(submitted_at=None, updated_at__lt=unsubmitted) | Q(submitted_at__lt=submitted)
    )
    done = 0
    while ids := list(expired.values_list("pk", flat=True)[:BATCH]):
        done += _delete(ids)
    done += _preparation_drafts_purge(unsubmitted, submitted)
    # Anonymous intake sessions expire within the hour (views._expire_idle); their rows
    # (and a script's, one per first page view) go here rather than piling up.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    if done:
        log.info("purged %d intake drafts", done)
    return done


def _delete(ids) -> int:
    with transaction.atomic():
        drafts = list(IntakeDraft.objects.select_for_update().filter(pk__in=ids))
        # Only uploads no client has: a draft's own files, until its submit hands them over.
        held = IntakeDraft.documents.through.objects.filter(intakedraft_id__in=ids)
        documents = list(Document.objects.filter(client=None, pk__in=held.values("document_id")))
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
        IntakeDraft.objects.filter(pk__in=[d.pk for d in drafts]).delete()
        # Files go once the rows are gone for good; a failed commit leaves both.
        transaction.on_commit(lambda: [d.file.delete(save=False) for d in documents])
    return len(drafts)


def _preparation_drafts_purge(unsubmitted, submitted) -> int:
    """Questionnaires untouched since the unsubmitted cut-off, and those sent before the
    submitted one and not changed since (a change after a send waits like an unsent one)."""
    expired = PreparationDraft.objects.filter(
        Q(updated_at__lt=unsubmitted)
        | Q(submitted_at__lt=submitted, updated_at__lte=F("submitted_at"))
    )
    done = 0
    while ids := list(expired.values_list("pk", flat=True)[:BATCH]):
        done += PreparationDraft.objects.filter(pk__in=ids).delete()[0]
    return done
