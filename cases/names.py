"""Names in any script reduced to one comparable Latin key, and the one way to find names
that resemble others (possible duplicates, the conflict check)."""

from difflib import SequenceMatcher

from anyascii import anyascii
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models.functions import Greatest

# The name keys kept on Client and FamilyMember (their save() fills them).
KEY_FIELDS = ("name_key_latin", "name_key_native")
# pg_trgm similarity from which two keys are "the same name, spelt otherwise".
NAME_SIMILARITY = 0.5
# The SQLite demo has no pg_trgm: difflib's ratio, which runs higher for the same pairs.
DEMO_SIMILARITY = 0.8


def name_key(*parts: str) -> str:
    """'Дмитрий', 'Политов' -> 'dmitriy politov'; 'José García' -> 'jose garcia'."""
    text = " ".join(part for part in parts if part)
    return " ".join(anyascii(text).lower().split())


def similar_names(queryset, keys, *, limit: int | None = None) -> list:
    """Rows of `queryset` (clients or family members) whose name keys resemble any of
    `keys`, best first, each with its `score` (0 to 1)."""
    keys = sorted({key for key in keys if key})
    if not keys:
        return []
    if connection.vendor == "postgresql":
        scores = [TrigramSimilarity(field, key) for field in KEY_FIELDS for key in keys]
        rows = queryset.annotate(score=Greatest(*scores)).filter(score__gte=NAME_SIMILARITY)
        rows = rows.order_by("-score")
        return list(rows[:limit] if limit else rows)
    rows = []
    for row in queryset:  # the demo's few rows
        row.score = max(
            SequenceMatcher(None, getattr(row, field), key).ratio()
            for field in KEY_FIELDS
            for key in keys
        )
        if row.score >= DEMO_SIMILARITY:
            rows.append(row)
    rows.sort(key=lambda row: -row.score)
    return rows[:limit] if limit else rows
