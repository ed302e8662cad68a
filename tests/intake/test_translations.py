"""What a client reads in ru, uk and es: every message translated and compiled, and the
wording that would mislead (a "password" for parole, criminal custody for immigration
detention) kept out."""

import re
from ast import literal_eval
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from intake.forms import ClaimForm

LANGUAGES = ("ru", "uk", "es")


def catalog(language: str) -> list[dict]:
    """The active entries of a language's .po file: msgid, msgstr and flags."""
    path = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        flags = {f.strip() for line in lines if line.startswith("#,") for f in line[2:].split(",")}
        parts, key = {}, None
        for line in lines:
            if match := re.match(r"^(msgid|msgstr) (\".*\")$", line):
                key = match.group(1)
                parts[key] = literal_eval(match.group(2))
            elif line.startswith('"') and key:
                parts[key] += literal_eval(line)
        if parts.get("msgid"):
            entries.append({**parts, "flags": flags})
    return entries


def msgstr(language: str, msgid: str) -> str:
    return next(e["msgstr"] for e in catalog(language) if e["msgid"] == msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_none_fuzzy_and_compiled(language):
    """The committed .mo says what the .po says (compilemessages was run)."""
    entries = catalog(language)
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if not e["msgstr"] or "fuzzy" in e["flags"]] == []
    with translation.override(language):
        stale = [e["msgid"] for e in entries if translation.gettext(e["msgid"]) != e["msgstr"]]
    assert stale == []


# Words no message may use: each reads as something else to a client.
MISLEADING = {
    "ru": [r"пароль", r"под страж"],  # a password; criminal custody
    "uk": [r"пароль", r"під варт", r"'"],  # and the typewriter apostrophe: ’ (U+2019)
    "es": [r"\bcortes?\b"],  # EOIR's own Spanish says "tribunal de inmigración"
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_uses_misleading_words(language):
    found = [(pattern, e["msgstr"]) for e in catalog(language)
             for pattern in MISLEADING[language]
             if re.search(pattern, e["msgstr"], re.IGNORECASE)]  # fmt: skip
    assert found == []


@pytest.mark.parametrize(("msgid", "language", "words"), [
    ("Parolee", "ru", ["parole", "условный въезд"]),
    ("Parolee", "uk", ["parole", "умовний в’їзд"]),
    ("Parolee", "es", ["Parole"]),
    ("I am detained now (or the person I fill this in for is)", "ru", ["иммиграционн", "ICE"]),
    ("I am detained now (or the person I fill this in for is)", "uk", ["імміграційн", "ICE"]),
    ("My nationality (citizenship, or national or ethnic origin)", "ru",
     ["национальность", "гражданство", "этническое происхождение"]),
    ("My nationality (citizenship, or national or ethnic origin)", "uk",
     ["національність", "громадянство", "етнічне походження"]),
    ("My nationality (citizenship, or national or ethnic origin)", "es",
     ["nacionalidad", "ciudadanía", "origen nacional o étnico"]),
    ("Language we should write to you in", "ru", ["На каком языке нам вам писать"]),
    ("Language we should write to you in", "uk", ["Якою мовою нам вам писати"]),
])  # fmt: skip
def test_the_words_a_client_needs_are_there(msgid, language, words):
    shown = msgstr(language, msgid)
    assert [word for word in words if word not in shown] == [], shown


def test_the_nationality_ground_says_it_covers_origin_not_only_citizenship():
    with translation.override("en"):
        label = str(ClaimForm().fields["ground_nationality"].label)
    assert label == "My nationality (citizenship, or national or ethnic origin)"
