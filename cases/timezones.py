"""The firm's today, and times shown in the zone of the place they happen, with the zone named."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

ZONE_NAMES = {
    "America/Los_Angeles": "Pacific",
    "America/Denver": "Mountain",
    "America/Phoenix": "Mountain (Arizona)",
    "America/Chicago": "Central",
    "America/New_York": "Eastern",
    "America/Detroit": "Eastern",
    "America/Indiana/Indianapolis": "Eastern",
    "America/Anchorage": "Alaska",
    "Pacific/Honolulu": "Hawaii",
    "America/Puerto_Rico": "Atlantic",
}


def time_label(day: date, at: time, zone: str) -> str:
    """'08:30 Pacific (PST)': the court's own clock, whoever reads it and wherever."""
    try:
        moment = datetime.combine(day, at, ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return f"{at:%H:%M} {zone}".strip()
    return f"{at:%H:%M} {ZONE_NAMES.get(zone, zone)} ({moment:%Z})"


def aware(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, ZoneInfo(zone))


def today() -> date:
    """Today in the firm's time zone (settings.TIME_ZONE): the one "today" of every rule,
    page, e-mail and task."""
    return timezone.localdate()
