"""The drafts' purge as beat runs it: the task through the real Redis to a real worker."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import IntakeDraft
from intake.tasks import purge_drafts

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker_process"),
]


def test_the_worker_purges_old_drafts_and_keeps_new_ones(settings):
    old = IntakeDraft.objects.create(data={"about": {"about-family_name": ["Politov"]}})
    new = IntakeDraft.objects.create(data={"about": {"about-family_name": ["Petrova"]}})
    days = settings.INTAKE_DRAFT_RETENTION_DAYS
    now = timezone.now()
    IntakeDraft.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=days + 1))
    IntakeDraft.objects.filter(pk=new.pk).update(updated_at=now - timedelta(days=days - 1))
    purge_drafts.delay()
    purge_drafts.delay()  # beat's run and a late duplicate: the second finds nothing
    deadline = time.monotonic() + 30
    while IntakeDraft.objects.filter(pk=old.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    assert list(IntakeDraft.objects.values_list("pk", flat=True)) == [new.pk]
