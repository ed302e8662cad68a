"""The declaration draft: the client's story in their own words beside the firm's English
translation, arranged under the I-589's questions (Part B.1.A past harm, B.1.B fear, B.2,
B.3.A, B.3.B, B.4, then the Part C explanations), for the attorney to edit.

Both texts come as stored: nothing here writes, so neither can be overwritten; a missing
translation says so. Only for a viewer who may read the client's account."""

from dataclasses import dataclass

from .questions import QUESTIONS

MISSING_TRANSLATION = "No English translation yet."


@dataclass(frozen=True)
class Passage:
    label: str
    original: str
    english: str  # the firm's translation, or MISSING_TRANSLATION

    @property
    def translated(self) -> bool:
        return self.english != MISSING_TRANSLATION


@dataclass(frozen=True)
class Section:
    key: str  # "B.1.A"
    question: str
    passages: tuple


# Under B.1.A and B.1.B, the intake's story in the order a declaration tells it.
STORY = (
    ("B.1.A", "Have you, your family, or close friends or colleagues ever experienced harm "
     "or mistreatment or threats in the past by anyone? What happened, when, who caused it, "
     "and why.", (("past_harm", "What happened"), ("harmed_by", "Who harmed or threatened"),
                  ("political_activity", "Political activity"),
                  ("reported_details", "Reporting it to the authorities"),
                  ("evidence", "Evidence"))),
    ("B.1.B", "Do you fear harm or mistreatment if you return to your home country? What, "
     "who, and why.", (("feared_harm", "What the client fears"),)),
)  # fmt: skip


def _passage(claim, field: str, label: str) -> Passage | None:
    original = (getattr(claim, field, "") or "").strip()
    if not original:
        return None
    english = (getattr(claim, f"{field}_en", "") or "").strip()
    return Passage(label, original, english or MISSING_TRANSLATION)


def declaration_of(claim) -> list[Section]:
    """The sections with something written under them, in the form's order."""
    if claim is None:
        return []
    sections = []
    for key, question, fields in STORY:
        passages = tuple(p for p in (_passage(claim, f, label) for f, label in fields) if p)
        if passages:
            sections.append(Section(key, question, passages))
    for q in QUESTIONS:
        passage = _passage(claim, q.details, "Explanation")
        if passage:
            sections.append(Section(q.key, q.text, (passage,)))
    return sections


def declaration_json(sections: list[Section]) -> list[dict]:
    return [{"key": s.key, "question": s.question,
             "passages": [{"label": p.label, "original": p.original,
                           "english": p.english if p.translated else None}
                          for p in s.passages]} for s in sections]  # fmt: skip
