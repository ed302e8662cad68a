"""Deadlines and their inputs change through many doors (the case page, the admin, data
fixes); these receivers keep what is derived from them in step, in the same transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from intake.models import AsylumClaim, Client, Entry

from .models import Case, Deadline
from .services import case_next_deadline_refresh, deadlines_sync_computed


@receiver([post_save, post_delete], sender=Deadline)
def deadline_changed(sender, instance, **kwargs):
    case_next_deadline_refresh(case_id=instance.case_id)


@receiver([post_save, post_delete], sender=Entry)
@receiver(post_save, sender=AsylumClaim)
def arrival_or_filing_changed(sender, instance, **kwargs):
    _sync(instance.client_id)


@receiver(post_save, sender=Client)
def client_changed(sender, instance, created, **kwargs):
    if not created:  # e.g. now recorded as an unaccompanied minor
        _sync(instance.pk)


def _sync(client_id):
    # During an intake submit the case does not exist yet; it syncs when it is opened.
    case = Case.objects.filter(client_id=client_id).select_related("client").first()
    if case is not None:
        deadlines_sync_computed(case=case)
