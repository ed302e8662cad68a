"""Possible duplicates of a new intake: same e-mail or phone, or same birth date and a
similar name in either script ("Дмитрий Политов", "Dmitry Politov", "Dmitrii Politov").

Names are compared as Latin keys (intake.names) with PostgreSQL's pg_trgm; the
SQLite demo falls back to Python's difflib on the few same-birthday clients.
"""

from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest

from intake.models import Client

from .models import Case

NAME_SIMILARITY = 0.5
# One person who writes in again and again is still one line to look at, not hundreds.
MAX_DUPLICATES = 20
KEY_FIELDS = ("name_key_latin", "name_key_native")


def _similar_names_same_birthday(client) -> list[int]:
    keys = [k for k in (client.name_key_latin, client.name_key_native) if k]
    candidates = Client.objects.filter(date_of_birth=client.date_of_birth).exclude(pk=client.pk)
    if not keys:
        return []
    if connection.vendor == "postgresql":
        scores = [TrigramSimilarity(field, key) for field in KEY_FIELDS for key in keys]
        return list(
            candidates.annotate(score=Greatest(*scores))
            .filter(score__gte=NAME_SIMILARITY)
            .values_list("pk", flat=True)
        )
    return [
        c.pk
        for c in candidates.only(*KEY_FIELDS)
        if max(
            SequenceMatcher(None, getattr(c, field), key).ratio()
            for field in KEY_FIELDS
            for key in keys
        )
        >= 0.8
    ]


def find_possible_duplicates(client) -> list[Case]:
    """The newest MAX_DUPLICATES cases that look like the same person, oldest first."""
    same_contact = Q(pk__in=[])
    if client.email:
        same_contact |= Q(client__email__iexact=client.email)
    if client.phone:
        same_contact |= Q(client__phone=client.phone)
    similar = Q(client_id__in=_similar_names_same_birthday(client))
    found = Case.objects.filter(same_contact | similar).exclude(client=client)
    return sorted(found.order_by("-pk")[:MAX_DUPLICATES], key=lambda case: case.pk)
