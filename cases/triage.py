"""Triage rules as plain functions: how urgent a case is, and why.

Reasons are written for the firm's staff, in English, and stored with the case.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from .deadlines import one_year_filing_deadline

CRITICAL, HIGH, NORMAL = "critical", "high", "normal"


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Facts:
    """What triage looks at, independent of where it is stored."""

    detained: bool = False
    detention_facility: str = ""
    in_removal_proceedings: bool = False
    next_hearing_date: date | None = None
    hearing_court: str = ""
    last_arrival: date | None = None
    unaccompanied_minor: bool = False
    mobilisation_notice: bool = False


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _when(days: int) -> str:
    """'today', 'tomorrow', 'in 9 days'."""
    return {0: "today", 1: "tomorrow"}.get(days, f"in {_days(days)}")


def assess_facts(facts: Facts, today: date) -> Assessment:
    critical, high = [], []
    if facts.detained:
        where = f" at {facts.detention_facility}" if facts.detention_facility else ""
        critical.append(f"Detained{where}")
    if facts.next_hearing_date:
        days = (facts.next_hearing_date - today).days
        court = f" ({facts.hearing_court})" if facts.hearing_court else ""
        if days < 0:
            # A missed hearing can mean a removal order in absentia.
            critical.append(f"Hearing date passed {_days(-days)} ago{court}: was it missed?")
        elif days <= 14:
            critical.append(f"Hearing {_when(days)}{court}")
        elif days <= 60:
            high.append(f"Hearing {_when(days)}{court}")
    if facts.last_arrival and not facts.unaccompanied_minor:
        due = one_year_filing_deadline(facts.last_arrival)
        days = (due - today).days
        if days < 0:
            critical.append(f"One-year deadline passed {_days(-days)} ago: exception needed")
        elif days <= 14:
            critical.append(f"One-year deadline {_when(days)}")
        elif days <= 60:
            high.append(f"One-year deadline {_when(days)}")
    if facts.in_removal_proceedings:
        high.append("In removal proceedings")
    if facts.last_arrival and today - facts.last_arrival <= timedelta(days=30):
        high.append(f"Arrived {_days((today - facts.last_arrival).days)} ago")
    if facts.mobilisation_notice:
        high.append("Mobilisation notice received")
    if critical:
        return Assessment(CRITICAL, critical + high)
    if high:
        return Assessment(HIGH, high)
    return Assessment(NORMAL, [])


def assess(case, today: date | None = None) -> Assessment:
    client = case.client
    claim = getattr(client, "claim", None)
    facts = Facts(
        detained=client.detained,
        detention_facility=client.detention_facility,
        in_removal_proceedings=client.in_removal_proceedings,
        next_hearing_date=client.next_hearing_date,
        hearing_court=str(client.hearing_court) if client.hearing_court_id else "",
        last_arrival=client.last_arrival,
        unaccompanied_minor=client.unaccompanied_minor,
        mobilisation_notice=bool(claim and claim.mobilisation_notice),
    )
    return assess_facts(facts, today or timezone.localdate())
