"""A staff member's open deadlines and consultations as an iCalendar feed. Events name the
case reference and the deadline's kind (or "Consultation" and its mode) only: calendar
servers are third parties, client names never go there."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from icalendar import Calendar, Event

from .models import Case, Deadline, DeadlineStatus, Stage
from .timezones import aware, today

# How long a consultation is booked for in a calendar.
CONSULTATION_LENGTH = timedelta(hours=1)
ENDED = (Stage.CLOSED, Stage.DECLINED)


def deadlines_calendar(deadlines: list[Deadline], consultations: list[Case] = ()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Asylum Intake//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Asylum Intake deadlines")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@asylum-intake")
        event.add("summary", f"{deadline.case.reference}: {deadline.get_kind_display()}")
        if deadline.due_time:
            start = aware(deadline.due_date, deadline.due_time,
                          deadline.time_zone or settings.TIME_ZONE)  # fmt: skip
            _span(event, start, timedelta(hours=1))
        else:
            _span(event, deadline.due_date, timedelta(days=1))
        event.add("dtstamp", deadline.created_at)
        event.add("url", _case_url(deadline.case_id))
        calendar.add_component(event)
    for case in consultations:
        calendar.add_component(consultation_event(case))
    return calendar.to_ical()


def _span(event: Event, start, length: timedelta) -> None:
    """DTSTART and DTEND, or DURATION where the end is past what a date can hold: a stored
    9999-12-31 (however it got there) is shown as typed, for someone to correct, and the rest
    of the calendar still arrives."""
    event.add("dtstart", start)
    try:
        event.add("dtend", start + length)
    except OverflowError:
        event.add("duration", length)


def consultation_summary(case: Case) -> str:
    mode = f" ({case.consultation_mode})" if case.consultation_mode else ""
    return f"{case.reference}: Consultation{mode}"


def consultation_event(case: Case) -> Event:
    """One event per case (a moved consultation is the same event, later)."""
    event = Event()
    event.add("uid", f"consultation-{case.pk}@asylum-intake")
    event.add("summary", consultation_summary(case))
    if case.consultation_time:
        start = aware(case.consultation_date, case.consultation_time, settings.TIME_ZONE)
        _span(event, start, CONSULTATION_LENGTH)
    else:
        _span(event, case.consultation_date, timedelta(days=1))
    event.add("dtstamp", case.updated_at)
    event.add("url", _case_url(case.pk))
    return event


def _case_url(pk: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/cases/{pk}/"


def my_cases(user, via: str = "") -> Q:
    """A case is "mine" when I am its attorney or its paralegal; `via` is the path to the
    case from the rows filtered ("case__" for deadlines)."""
    return Q(**{f"{via}assigned_attorney": user}) | Q(**{f"{via}assigned_paralegal": user})


def open_deadlines_for(user):
    return (
        Deadline.objects.filter(my_cases(user, "case__"), status=DeadlineStatus.OPEN)
        .select_related("case")
        .order_by("due_date", "due_time")
    )


def consultations_for(user, *, since=None, until=None):
    """Consultations from `since` (default today) that the user holds or whose case is
    theirs; ended and merged cases are out."""
    rows = Case.objects.filter(consultation_date__gte=since or today())
    if until is not None:
        rows = rows.filter(consultation_date__lte=until)
    if user is not None:
        rows = rows.filter(my_cases(user) | Q(consultation_attorney=user))
    return (
        rows.exclude(stage__in=ENDED)
        .filter(merged_into__isnull=True)
        .order_by("consultation_date", "consultation_time", "pk")
    )
