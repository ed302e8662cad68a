"""An attorney's open deadlines as an iCalendar feed. Events name the case reference and the
deadline's kind only: calendar servers are third parties, client names never go there."""

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

from .models import Deadline, DeadlineStatus
from .timezones import aware


def deadlines_calendar(deadlines: list[Deadline]) -> bytes:
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
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(hours=1))
        else:
            event.add("dtstart", deadline.due_date)
            event.add("dtend", deadline.due_date + timedelta(days=1))
        event.add("dtstamp", deadline.created_at)
        event.add("url", f"{settings.SITE_URL.rstrip('/')}/cases/{deadline.case_id}/")
        calendar.add_component(event)
    return calendar.to_ical()


def open_deadlines_for(user):
    return (
        Deadline.objects.filter(status=DeadlineStatus.OPEN, case__assigned_attorney=user)
        .select_related("case")
        .order_by("due_date", "due_time")
    )
