"""Celery tasks of the public side: the drafts' retention."""

from celery import shared_task

from .retention import drafts_purge


@shared_task
def purge_drafts() -> int:
    """Beat runs it daily; safe to run twice (a second run finds nothing to purge)."""
    return drafts_purge()
