"""Values worth keeping a while in the shared cache (counts, the chart, filter choices)."""

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def cached(key: str, compute, seconds: int):
    """compute(), kept in the shared cache for `seconds`. A cache that is down costs a
    recomputation, never the page."""
    try:
        return cache.get_or_set(key, compute, seconds)
    except Exception:  # noqa: BLE001 - any cache failure
        log.warning("cache unavailable", exc_info=True)
        return compute()
