"""I-589 readiness: per part of the form, what is answered, what is missing, and what looks
inconsistent, so the attorney knows what to ask the client.

The rules are plain functions over values, each returning the problems it finds as
sentences (an empty list: nothing to say). `readiness_of(case)` runs them over a case's
records and the data sheet's items; it never shows the client's account, only whether an
explanation is there."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..choices import MaritalStatus, Relationship, ResidenceKind
from ..family import birthday
from ..timezones import today as firm_today
from .items import CHILD_RELATIONSHIPS, PART_TITLES, late_filing, mdy, sheet_for
from .questions import QUESTIONS

MARRIAGE_AGE = 14
ADDRESS_YEARS = 5


def entries_before_departure(entry_dates: list[date], left_on: date | None) -> list[str]:
    """An entry to the U.S. dated before the client last left their country cannot be."""
    if left_on is None:
        return []
    return [f"An entry on {mdy(day)} is before the date the client left their country "
            f"({mdy(left_on)})." for day in sorted(entry_dates) if day < left_on]  # fmt: skip


def child_born_after(born: date | None, on: date, name: str = "A child") -> list[str]:
    """A child's birth after the data sheet's date is a typing error."""
    if born and born > on:
        return [f"{name}'s date of birth ({mdy(born)}) is after today ({mdy(on)})."]
    return []


def marriage_date_problems(married_on: date | None, client_born: date | None,
                           on: date) -> list[str]:  # fmt: skip
    """A marriage before the client was 14, or after today. (A child born before the
    marriage is no problem and is not checked.)"""
    if married_on is None:
        return []
    if married_on > on:
        return [f"The date of marriage ({mdy(married_on)}) is after today."]
    if client_born and married_on < birthday(client_born, MARRIAGE_AGE):
        return [f"The date of marriage ({mdy(married_on)}) is before the client was "
                f"{MARRIAGE_AGE}."]
    return []


def period_problems(periods: list[tuple[date | None, date | None]], on: date,
                    what: str = "address") -> list[str]:  # fmt: skip
    """Periods (from, to; to None: the present) that end before they start, or overlap
    another by more than the month of a move."""
    problems = []
    spans = []
    for start, end in periods:
        if start and end and end < start:
            problems.append(f"The {what} from {mdy(start)} ends before it starts "
                            f"({mdy(end)}).")  # fmt: skip
        elif start:
            spans.append((start, end or on))
    spans.sort()
    for (a_start, a_end), (b_start, b_end) in zip(spans, spans[1:], strict=False):
        # Moving in the month one leaves is normal: the form asks month and year only.
        if b_start < a_end and (a_end - b_start).days > 31:
            plural = f"{what}es" if what.endswith("s") else f"{what}s"
            problems.append(f"Two {plural} overlap: {mdy(a_start)}–{mdy(a_end)} and "
                            f"{mdy(b_start)}–{mdy(b_end)}.")  # fmt: skip
    return problems


def passport_expired(expires_on: date | None, on: date) -> list[str]:
    """Say "expired" when the passport has expired by today (it may well have been valid at
    the last entry: that is fine)."""
    if expires_on and expires_on < on:
        return [f"The passport expired on {mdy(expires_on)}."]
    return []


def late_without_explanation(last_arrival: date | None, filed_on: date | None, on: date,
                             explanation: str) -> list[str]:  # fmt: skip
    """More than a year after the last arrival, C.5 needs the reason for filing late."""
    if late_filing(last_arrival, filed_on, on) and not (explanation or "").strip():
        return [f"The last arrival ({mdy(last_arrival)}) is more than a year ago and C.5 has "
                "no explanation of why the application is filed late."]
    return []


def yes_without_explanation(key: str, answer: bool | None, explanation: str) -> list[str]:
    """Every "Yes" in Parts B and C needs its explanation."""
    if answer and not (explanation or "").strip():
        return [f"{key} is answered Yes with no explanation."]
    return []


def spouse_but_single(client_status: str, has_spouse: bool) -> list[str]:
    """A spouse listed while the client says single (never married)."""
    if has_spouse and client_status == MaritalStatus.SINGLE:
        return ["A spouse is listed but the client's marital status is single."]
    return []


def address_gaps(periods: list[tuple[date | None, date | None]], on: date) -> list[str]:
    """Part A.III item 2 must cover the past five years, up to now, without a gap of more
    than a month."""
    since = birthday(on, -ADDRESS_YEARS)
    spans = sorted((start, end or on) for start, end in periods if start and
                   (end is None or end >= start))  # fmt: skip
    if not spans:
        return [f"No address for the past {ADDRESS_YEARS} years."]
    problems = []
    covered = since
    for start, end in spans:
        if start - covered > timedelta(days=31):
            problems.append(f"No address from {mdy(max(covered, since))} to {mdy(start)}.")
        covered = max(covered, end)
    if on - covered > timedelta(days=31):
        problems.append(f"No address from {mdy(covered)} to today.")
    return problems


@dataclass
class PartReadiness:
    part: str
    title: str
    answered: list = field(default_factory=list)  # (key, label)
    missing: list = field(default_factory=list)  # (key, label)
    inconsistent: list = field(default_factory=list)  # sentences

    @property
    def complete(self) -> bool:
        return not self.missing and not self.inconsistent


def readiness_of(case, on: date | None = None) -> list[PartReadiness]:
    on = on or firm_today()
    client = case.client
    claim = getattr(client, "claim", None)
    # Built with the explanations to know whether each is there; only labels leave here.
    sheet = sheet_for(case, with_narrative=True, on=on)
    parts = {}
    for part, title, items in sheet.parts:
        ready = parts[part] = PartReadiness(part, title)
        for item in items:
            label = f"{item.group}: {item.label}" if item.group else item.label
            if item.answered:
                ready.answered.append((item.key, label))
            elif item.required and not item.narrative:
                ready.missing.append((item.key, label))
    if claim is None:
        parts["B"].missing.append(("B", "No claim recorded"))
    for part, problems in _rules(client, claim, on).items():
        parts[part].inconsistent += problems
    return [parts[part] for part in PART_TITLES]


def _rules(client, claim, on) -> dict:
    family = list(client.family.all())
    spouse = next((m for m in family if m.relationship == Relationship.SPOUSE), None)
    entries = [e.date for e in client.entries.all()]
    residences = list(client.residences.all())
    five_years = [(r.from_on, r.to_on) for r in residences
                  if r.kind == ResidenceKind.PAST_FIVE_YEARS]  # fmt: skip
    a1 = entries_before_departure(entries, client.left_country_on)
    a1 += passport_expired(client.passport_expires_on, on)
    a2 = spouse_but_single(client.marital_status, spouse is not None)
    if spouse:
        a2 += marriage_date_problems(spouse.marriage_date, client.date_of_birth, on)
    for member in family:
        if member.relationship in CHILD_RELATIONSHIPS:
            a2 += child_born_after(member.date_of_birth, on, member.given_names or "A child")
    a3 = period_problems(five_years, on) + address_gaps(five_years, on)
    a3 += period_problems([(j.from_on, j.to_on) for j in client.employment.all()], on, "job")
    b, c = [], []
    if claim is not None:
        for q in QUESTIONS:
            answer = getattr(claim, q.answer) if q.answer else None
            if q.key == "C.2":
                answer = claim.other_country_travel or claim.other_country_status
            if q.key == "C.4":
                answer = client.returned_since_leaving
            if q.key == "C.5":
                continue
            found = yes_without_explanation(q.key, answer, getattr(claim, q.details))
            (b if q.key.startswith("B") else c).extend(found)
        c += late_without_explanation(client.last_arrival, claim.filed_on, on,
                                      claim.late_filing_explanation)  # fmt: skip
    return {"A.I": a1, "A.II": a2, "A.III": a3, "B": b, "C": c}


def readiness_summary(parts: list[PartReadiness]) -> dict:
    """For the case page's panel: how many items are answered and missing, how many
    problems, and whether the sheet is ready."""
    return {
        "answered": sum(len(p.answered) for p in parts),
        "missing": sum(len(p.missing) for p in parts),
        "inconsistent": sum(len(p.inconsistent) for p in parts),
        "complete": all(p.complete for p in parts),
        "parts": parts,
    }
