"""Triage rules as plain functions: how urgent a case is, and why.

Reasons are written for the firm's staff, in English, and stored with the case.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .choices import STATUSES_THAT_END
from .deadlines import (
    MOTION_TO_REOPEN_DAYS,
    motion_to_reopen_due,
    one_year_filing_deadline,
    unaccompanied_child,
)
from .timezones import today as firm_today

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
    mobilisation_notice: bool = False
    judge_filing_deadline: date | None = None
    # The asylum application's filing date: once filed, the one-year and the judge's filing
    # deadlines are behind the client.
    filed_on: date | None = None
    date_of_birth: date | None = None
    parent_or_guardian_in_us: bool = False
    prior_removal_order: bool = False
    # The last day to ask to reopen after a missed hearing, while that is still to be done.
    motion_to_reopen_by: date | None = None
    next_ice_check_in: date | None = None
    # Parole or TPS and the day it ends ("Parole", "TPS").
    lawful_status: str = ""
    status_ends_on: date | None = None
    prior_asylum_denied: bool = False
    criminal_case_or_wanted: bool = False


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
    _hearing(facts, today, critical, high)
    _missed_hearing(facts, today, critical)
    if facts.filed_on is None:
        _dated("Judge's filing deadline", facts.judge_filing_deadline, today, critical, high,
               passed="missing it abandons the application")  # fmt: skip
        if facts.last_arrival and not one_year_exempt(facts, today):
            due = one_year_filing_deadline(facts.last_arrival)
            exception = one_year_exception(facts, due, today)
            _dated("One-year deadline", due, today, critical, high,
                   passed=exception or "exception needed")  # fmt: skip
    if facts.in_removal_proceedings:
        high.append("In removal proceedings")
    if facts.prior_removal_order:
        high.append("Prior removal order")
    if facts.prior_asylum_denied:
        high.append("Earlier asylum application denied")
    _soon(facts, today, high)
    if facts.last_arrival and today - facts.last_arrival <= timedelta(days=30):
        high.append(f"Arrived {_days((today - facts.last_arrival).days)} ago")
    if facts.mobilisation_notice:
        high.append("Mobilisation notice received")
    if facts.criminal_case_or_wanted:
        high.append("Criminal case or wanted list at home")
    if critical:
        return Assessment(CRITICAL, critical + high)
    if high:
        return Assessment(HIGH, high)
    return Assessment(NORMAL, [])


# After the lawful status or parole ends, "a reasonable period" to file; six months is what
# the asylum offices usually accept (the preamble to 8 CFR 208.4, 65 FR 76121).
REASONABLE_PERIOD = relativedelta(months=6)


def one_year_exception(facts: Facts, due: date, today: date) -> str:
    """The exception that applies to a one-year deadline as the facts stand, in words, or ''
    when none does yet: parole or TPS held past the deadline and not ended more than a
    reasonable period ago (8 CFR 208.4(a)(5)(iv))."""
    ends = facts.status_ends_on
    if ends is None or ends < due or today > ends + REASONABLE_PERIOD:
        return ""
    status = facts.lawful_status or "Lawful status"
    return (f"{status} until {ends:%Y-%m-%d}: lawful-status exception, "
            f"file by {ends + REASONABLE_PERIOD:%Y-%m-%d}")  # fmt: skip


def _missed_hearing(facts: Facts, today: date, critical: list) -> None:
    """A missed hearing is critical until the motion to reopen is made: the judge has
    likely ordered removal in absentia (INA 240(b)(5))."""
    due = facts.motion_to_reopen_by
    if due is None:
        return
    days = (due - today).days
    if days < 0:
        critical.append(f"Missed hearing: the {MOTION_TO_REOPEN_DAYS} days to move to reopen "
                        f"passed {_days(-days)} ago")  # fmt: skip
    else:
        critical.append(f"Missed hearing: removal order likely; motion to reopen by "
                        f"{due:%Y-%m-%d} ({_when(days)})")  # fmt: skip


def _soon(facts: Facts, today: date, high: list) -> None:
    """Dates that raise the level without being a filing deadline."""
    check_in = facts.next_ice_check_in
    if check_in is not None and (check_in - today).days <= 14:
        days = (check_in - today).days
        high.append(f"ICE check-in {_when(days)}" if days >= 0
                    else f"ICE check-in was due {_days(-days)} ago: did they report?")  # fmt: skip
    ends = facts.status_ends_on
    if ends is not None and 0 <= (ends - today).days <= 60:
        high.append(f"{facts.lawful_status or 'Lawful status'} ends {_when((ends - today).days)}")


def _hearing(facts: Facts, today: date, critical: list, high: list) -> None:
    court = f" ({facts.hearing_court})" if facts.hearing_court else ""
    # A missed hearing can mean a removal order in absentia.
    _dated("Hearing", facts.next_hearing_date, today, critical, high, suffix=court,
           passed_as="Hearing date", passed="was it missed?")  # fmt: skip


def _dated(what: str, due: date | None, today: date, critical: list, high: list, *,
           passed: str, passed_as: str = "", suffix: str = "") -> None:  # fmt: skip
    """Passed or within 14 days: critical; within 60 days: high."""
    if due is None:
        return
    days = (due - today).days
    if days < 0:
        critical.append(f"{passed_as or what} passed {_days(-days)} ago{suffix}: {passed}")
    elif days <= 14:
        critical.append(f"{what} {_when(days)}{suffix}")
    elif days <= 60:
        high.append(f"{what} {_when(days)}{suffix}")


def facts_of(case, deadlines=None) -> Facts:
    """The case's facts as they stand: the client's answers, the claim's filing date, and the
    earliest open hearing and judge's filing deadline the firm keeps (those the intake gave
    until an attorney recorded others). `deadlines` for a case not saved yet."""
    client = case.client
    claim = getattr(client, "claim", None)
    if deadlines is None:
        deadlines = list(case.deadlines.all()) if case.pk else []
    hearing_date, hearing = _first_open(deadlines, "hearing", client.next_hearing_date)
    court = hearing.court if hearing is not None and hearing.court_id else client.hearing_court
    judge_date, _judge = _first_open(deadlines, "court_filing", client.judge_filing_deadline)
    reopen_by, _missed = _first_open(deadlines, "missed_hearing",
                                     motion_to_reopen_due(client.missed_hearing_on))
    check_in, _check_in = _first_open(deadlines, "ice_check_in", client.next_ice_check_in)
    return Facts(
        detained=client.detained,
        detention_facility=client.detention_facility,
        in_removal_proceedings=client.in_removal_proceedings,
        next_hearing_date=hearing_date,
        hearing_court=str(court) if court else "",
        last_arrival=client.last_arrival,
        mobilisation_notice=bool(claim and claim.mobilisation_notice),
        judge_filing_deadline=judge_date,
        filed_on=claim.filed_on if claim else None,
        date_of_birth=client.date_of_birth,
        parent_or_guardian_in_us=client.parent_or_guardian_in_us,
        prior_removal_order=client.prior_removal_order,
        motion_to_reopen_by=reopen_by,
        next_ice_check_in=check_in,
        lawful_status=STATUSES_THAT_END.get(client.current_status, ""),
        status_ends_on=(
            client.status_ends_on if client.current_status in STATUSES_THAT_END else None
        ),
        prior_asylum_denied=client.prior_asylum_outcome == "denied",
        criminal_case_or_wanted=bool(claim and claim.criminal_case_or_wanted),
    )



def _first_open(deadlines, kind: str, answered: date | None) -> tuple[date | None, object]:
    """(date, deadline) of the earliest open deadline of this kind; the client's answer (and
    no deadline) while the case has none of this kind at all; (None, None) once every one
    is met, missed or no longer applies."""
    of_kind = [d for d in deadlines if d.kind == kind]
    if not of_kind:
        return answered, None
    first = min((d for d in of_kind if d.status == "open"), key=lambda d: d.due_date,
                default=None)  # fmt: skip
    return (first.due_date, first) if first else (None, None)


def one_year_exempt(facts: Facts, today: date) -> bool:
    """The one-year rule does not bind an unaccompanied child (age taken on the filing date
    once filed)."""
    return unaccompanied_child(
        date_of_birth=facts.date_of_birth,
        parent_or_guardian_in_us=facts.parent_or_guardian_in_us,
        on=facts.filed_on or today,
    )


def assess(case, today: date | None = None, *, deadlines=None) -> Assessment:
    return assess_facts(facts_of(case, deadlines), today or firm_today())
