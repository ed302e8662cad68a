"""Names in any script reduced to one comparable Latin key, and the one way to find names
that resemble others (possible duplicates, the conflict check).

Search folds every name into `name_fold` (name_fold): the transliterations staff and clients
actually type for one Russian or Ukrainian name ("Alexey", "Aleksei", "Алексей") become one
token, so a search matches whatever spelling and order was used."""

import re
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


# Letters that spell one sound together; kept whole so the lone "h" below can be folded.
_DIGRAPHS = (("shch", "Q"), ("kh", "X"), ("zh", "Z"), ("ch", "C"), ("sh", "S"))
_VOWELS = "aeiou"


def fold_token(word: str) -> str:
    """One word of a name, in any script, to the form its usual transliterations share:
    'Alexey', 'Aleksei', 'Алексей' -> 'aleksi'; 'Oliynyk', 'Oliinyk' -> 'olinik';
    'Yuri', 'Iurii', 'Юрий' -> 'iuri'; 'Serhii', 'Sergey' -> 'sergi'.

    Lossy on purpose, and only ever compared with other folded words."""
    word = re.sub(r"[^a-z]", "", anyascii(word).lower())  # soft signs, hyphens, accents
    word = word.replace("x", "ks")  # Xenia, Alexei
    word = word.replace("w", "v")  # German-style Wolkow
    word = re.sub(r"(?<=[oe])ff$", "v", word)  # Smirnoff
    word = word.replace("yo", "e")  # Fyodor, Pyotr: ё, often written plain e
    for digraph, mark in _DIGRAPHS:
        word = word.replace(digraph, mark)
    # A lone h is the Ukrainian г (Serhii, Olha, Hlib) that Russian spells g.
    word = word.replace("h", "g")
    # й, ы, ї, i and the Ukrainian и are written y, i, j or ii by turns.
    word = word.replace("y", "i").replace("j", "i")
    word = re.sub(r"(.)\1+", r"\1", word)  # Nataliia, Iurii, Filippov
    word = re.sub(r"^ie", "e", word)  # Yevgeniy / Evgeny, Yelena / Elena
    # An i between vowels is the й of Andreiev / Andreev, Maia / Maya.
    word = re.sub(rf"(?<=[{_VOWELS}])i(?=[{_VOWELS}])", "", word)
    word = re.sub(r"(.)\1+", r"\1", word)
    word = re.sub(r"ei$", "i", word)  # Sergei / Serhii, Andrei / Andrii, Aleksei
    for digraph, mark in _DIGRAPHS:
        word = word.replace(mark, digraph)
    return word


def fold_tokens(text: str) -> list[str]:
    """The folded words of a text, in order, each once; commas and punctuation split."""
    words = re.split(r"[^a-z']+", anyascii(text or "").lower())
    return list(dict.fromkeys(t for t in (fold_token(w) for w in words) if t))


def name_fold(*parts: str) -> str:
    """The field searched by name: each folded word once, each word after a space, so a
    query word matches the start of a word ('polit' finds Politov, 'ana' not Oksana)."""
    tokens = list(dict.fromkeys(t for part in parts for t in fold_tokens(part)))
    return "".join(f" {token}" for token in tokens)


def name_query_words(text: str) -> list[tuple[str, str]]:
    """Each word of a query once, as (its Latin key, its folded form as name_fold stores it:
    after a space), for the typo match and the transliteration match of that word."""
    words = re.split(r"[^a-z']+", anyascii(text or "").lower())
    pairs = {fold_token(word): word.replace("'", "") for word in words}
    return [(word, f" {token}") for token, word in pairs.items() if token]
