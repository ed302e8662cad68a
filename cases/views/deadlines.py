"""A staff member's deadlines page and calendar feed: the deadlines and consultations of
the cases they work (as attorney or paralegal) and the consultations they hold."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..calendar import consultations_for, deadlines_calendar, my_cases, open_deadlines_for
from ..models import (
    CalendarFeed,
    Deadline,
    DeadlineStatus,
)
from ..timezones import time_label, today
from .common import staff_view

CONSULTATIONS_KEPT_DAYS = 30


@staff_view()
def deadlines(request):
    """The signed-in user's open deadlines, overdue first, then the next 30 days; and the
    consultations in those days."""
    horizon = today() + timedelta(days=30)
    rows = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lte=horizon)
    show_all = request.GET.get("all") == "1"
    if not show_all:  # my cases: I am the attorney or the paralegal
        rows = rows.filter(my_cases(request.user, "case__"))
    rows = rows.select_related("case__client", "court").order_by("due_date", "due_time")[:500]
    consultations = consultations_for(None if show_all else request.user, until=horizon)
    consultations = list(consultations.select_related("client", "consultation_attorney")[:500])
    zone = settings.TIME_ZONE
    for row in consultations:  # on the firm's clock, its zone named
        at = row.consultation_time
        row.when = time_label(row.consultation_date, at, zone) if at else ""
    token = request.session.pop("calendar_token", None)
    # From SITE_URL, never the request's Host: the link is copied into a calendar app.
    site = settings.SITE_URL.rstrip("/")
    feed_url = site + reverse("cases:calendar", args=[token]) if token else ""
    return render(request, "cases/deadlines.html", {
        "deadlines": rows, "today": today(), "show_all": show_all, "feed_url": feed_url,
        "consultations": consultations,
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
    })  # fmt: skip


@require_POST
@staff_view()
def calendar_link(request):
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, "Your calendar link no longer works.")
    else:
        # Shown once, on the next page; only its hash is stored.
        request.session["calendar_token"] = services.calendar_feed_issue(user=request.user)
        messages.success(request, "Your new calendar link is below. Any earlier link stopped "
                                  "working.")
    return redirect("cases:deadlines")


def calendar(request, token):
    """The iCalendar feed; the secret URL is the only key, as calendar apps cannot sign in."""
    user = services.calendar_feed_user(token=token)
    if user is None:
        raise Http404
    # Consultations of the last weeks stay, so the calendar still shows what took place.
    recent = today() - timedelta(days=CONSULTATIONS_KEPT_DAYS)
    body = deadlines_calendar(list(open_deadlines_for(user)),
                              list(consultations_for(user, since=recent)))  # fmt: skip
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

