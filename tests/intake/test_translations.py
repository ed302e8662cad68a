"""What a client reads in ru, uk and es: every message translated and compiled, and the
wording that would mislead (a "password" for parole, criminal custody for immigration
detention) kept out."""

import ast
import io
import re
import tokenize
from ast import literal_eval
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import templatize

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
    # The draft in the words the men fleeing it know from their own papers.
    ("Military specialty or rank", "ru", ["ВУС (военно-учётная специальность)"]),
    ("Military specialty or rank", "uk", ["(ВОС)"]),
    ("Your category in the military reserve", "ru", ["категория запаса"]),
    ("Your category in the military reserve", "uk", ["категорія запасу"]),
    ("Conscript (compulsory service)", "ru", ["Срочная служба (по призыву)"]),
    ("Conscript (compulsory service)", "uk", ["Строкова служба"]),
    ("Conscript (compulsory service)", "es", ["Servicio militar obligatorio"]),
    ("I asked for alternative civilian service", "ru", ["альтернативную гражданскую службу (АГС)"]),
    ("I asked for alternative civilian service", "uk", ["альтернативну (невійськову) службу"]),
    ("I asked for alternative civilian service", "es", ["servicio civil alternativo"]),
    ("A criminal case was opened against me, or I am on a wanted list", "ru", ["розыск"]),
    ("A criminal case was opened against me, or I am on a wanted list", "uk", ["розшук"]),
    ("A criminal case was opened against me, or I am on a wanted list", "es",
     ["orden de búsqueda"]),
    ("Electronic (Gosuslugi or the electronic register)", "ru", ["Госуслуги"]),
    ("Electronic (Gosuslugi or the electronic register)", "uk", ["Дія", "Оберіг"]),
    ("Date your parole or TPS ends", "ru", ["parole (условного въезда)"]),
    ("Date your parole or TPS ends", "uk", ["parole (умовного в’їзду)"]),
    ("Still pending in immigration court", "es", ["tribunal de inmigración"]),
])  # fmt: skip
def test_the_words_a_client_needs_are_there(msgid, language, words):
    shown = msgstr(language, msgid)
    assert [word for word in words if word not in shown] == [], shown


def test_the_nationality_ground_says_it_covers_origin_not_only_citizenship():
    with translation.override("en"):
        label = str(ClaimForm().fields["ground_nationality"].label)
    assert label == "My nationality (citizenship, or national or ethnic origin)"


# What a client reads: the wizard's code, the choices and checks it shows, the client's own
# model (its narrative labels and constraint messages), the wizard's templates, the page
# frame and the confirmation e-mail. Staff pages and staff-only labels (a case's stage, a
# deadline's kind) are English only.
CLIENT_PYTHON = (
    "intake/*.py",
    "cases/choices.py",
    "cases/validators.py",
    "cases/models/clients.py",
)
CLIENT_TEMPLATES = ("templates/intake/**/*.html", "templates/intake/**/*.txt",
                    "templates/base.html", "templates/cases/emails/confirmation*",
                    "templates/cases/emails/consultation*",
                    "templates/cases/emails/preparation_link*")  # fmt: skip
# Which arguments of each gettext function are msgids (pgettext's first is its context).
MSGID_ARGUMENTS = {
    "_": (0,), "gettext": (0,), "gettext_lazy": (0,), "gettext_noop": (0,),
    "ngettext": (0, 1), "ngettext_lazy": (0, 1),
    "pgettext": (1,), "pgettext_lazy": (1,), "npgettext": (1, 2), "npgettext_lazy": (1, 2),
}  # fmt: skip


def _python_msgids(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            for position in MSGID_ARGUMENTS.get(name, ()):
                argument = node.args[position] if len(node.args) > position else None
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
    return found


def _template_msgids(source: str) -> set[str]:
    """As makemessages reads a template: Django's templatize turns {% translate %} and
    {% blocktranslate %} (its {{ name }} as %(name)s) into gettext calls amid blanked text,
    which Python's tokenizer reads."""
    tokens = list(tokenize.generate_tokens(io.StringIO(templatize(source)).readline))
    found = set()
    for i, token in enumerate(tokens):
        positions = MSGID_ARGUMENTS.get(token.string) if token.type == tokenize.NAME else None
        if not positions or tokens[i + 1].string != "(":
            continue
        arguments = []
        for following in tokens[i + 2 :]:
            if following.string == ")":
                break
            if following.type == tokenize.STRING:
                arguments.append(literal_eval(following.string))
        found.update(arguments[p] for p in positions if p < len(arguments))
    return found


def client_msgids() -> dict[str, set[str]]:
    """Each client-facing message of the code, with the files that say it."""
    base = Path(settings.BASE_DIR)
    found: dict[str, set[str]] = {}
    for pattern in CLIENT_PYTHON + CLIENT_TEMPLATES:
        for path in sorted(base.glob(pattern)):
            source = path.read_text(encoding="utf-8")
            reader = _python_msgids if path.suffix == ".py" else _template_msgids
            for msgid in reader(source):
                found.setdefault(msgid, set()).add(str(path.relative_to(base)))
    return found


def test_the_message_reader_finds_each_kind_of_message():
    """Not vacuous: the reader sees the form labels, choices, validators, the client's model,
    {% translate %}, {% blocktranslate %} with its placeholders, the page frame and e-mail."""
    found = client_msgids()
    assert len(found) > 300
    for msgid in (
        "Date you last left your country",  # intake/forms.py, a label
        "Please give the date of your next check-in.",  # intake/forms.py, in clean()
        "Electronic (Gosuslugi or the electronic register)",  # cases/choices.py
        "This date is too far ahead. Please check the year.",  # cases/validators.py
        "What evidence do you have?",  # cases/models/clients.py
        "Review and submit",  # intake/wizard.py
        "Save and continue",  # {% translate %}
        "Step %(number)s of %(total)s",  # {% blocktranslate with %}
        "Skip to the form",  # templates/base.html
        "We received your intake: %(reference)s",  # the confirmation e-mail's subject
        "Your consultation: %(reference)s",  # the consultation e-mail's subject
        "Time: %(time)s, %(zone_city)s time (%(zone_abbr)s)",  # and its body
    ):
        assert msgid in found, msgid
    assert "Missed hearing: motion to reopen" not in found  # staff only (DeadlineKind)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_client_message_in_the_code_has_an_entry(language):
    """A message added to the code in English only fails here until the .po has it (what
    makemessages would add, without letting it rewrap the hand-edited files)."""
    entries = {e["msgid"] for e in catalog(language)}
    missing = {msgid: sorted(where) for msgid, where in client_msgids().items()
               if msgid not in entries}  # fmt: skip
    assert missing == {}
