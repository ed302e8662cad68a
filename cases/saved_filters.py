"""Writes for a user's saved dashboard filters."""

import logging

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import QueryDict

from .caching import cached
from .filters import filter_params
from .models import SavedFilter
from .services import NotAllowed

log = logging.getLogger(__name__)
MAX_PER_USER = 50
# The URL parameters a saved filter keeps: the filter's own (a date range is two).
KEPT = set(filter_params())


def saved_query(query: str) -> str:
    """The dashboard query to keep: the filters and sort, never the page it was on."""
    params = QueryDict(query, mutable=True)
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        values = [v for v in params.getlist(name) if v != ""]
        if name in KEPT and values:
            kept.setlist(name, values)
    return kept.urlencode()


CACHE_SECONDS = 3600


def _key(user) -> str:
    return f"saved-filters:{user.pk}"


def saved_filters_of(user) -> list[SavedFilter]:
    """The user's saved filters, by name; kept in the shared cache until one is saved or
    deleted (every dashboard view shows them)."""
    return cached(_key(user), lambda: list(SavedFilter.objects.filter(user=user)), CACHE_SECONDS)


def _forget(user) -> None:
    """Drop the cached list now and again at commit (a view between the two may have
    cached the old list)."""

    def drop():
        try:
            cache.delete(_key(user))
        except Exception:  # noqa: BLE001 - a cache that is down holds nothing to drop
            log.warning("cache unavailable", exc_info=True)

    drop()
    transaction.on_commit(drop)


class DuplicateName(Exception):
    pass


@transaction.atomic
def saved_filter_save(*, user, name: str, query: str) -> SavedFilter:
    """Keep `query` under `name` for `user` (the form has checked name and length)."""
    if SavedFilter.objects.filter(user=user).count() >= MAX_PER_USER:
        raise NotAllowed
    try:
        with transaction.atomic():
            saved = SavedFilter.objects.create(user=user, name=name, query=saved_query(query))
    except IntegrityError:
        raise DuplicateName from None
    _forget(user)
    return saved


@transaction.atomic
def saved_filter_delete(*, user, pk: int) -> None:
    """Only the user's own: someone else's saved filter is refused as if it did not exist."""
    deleted, _ = SavedFilter.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise NotAllowed
    _forget(user)
