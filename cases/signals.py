"""Deadlines change through many doors (services, admin, data fixes); the case's copy of its
next deadline follows each change, in the same transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Deadline
from .services import case_next_deadline_refresh


@receiver([post_save, post_delete], sender=Deadline)
def deadline_changed(sender, instance, **kwargs):
    case_next_deadline_refresh(case_id=instance.case_id)
