"""Keeps what the wizard holds in memory in step with the admin's edits."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .layout import blank_html_forget
from .models import Court


@receiver([post_save, post_delete], sender=Court, dispatch_uid="intake.signals.court_changed")
def court_changed(sender, **kwargs):
    blank_html_forget()  # the arrival step's blank form lists the courts
