"""The attorney's deadlines page and calendar feed."""

from datetime import timedelta

from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..calendar import deadlines_calendar, open_deadlines_for
from ..models import (
    CalendarFeed,
    Deadline,
    DeadlineStatus,
)
from ..timezones import today
from .common import staff_view


@staff_view()
def deadlines(request):
    """The signed-in attorney's open deadlines: overdue first, then the next 30 days."""
    horizon = today() + timedelta(days=30)
    rows = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lte=horizon)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        rows = rows.filter(case__assigned_attorney=request.user)
    rows = rows.select_related("case__client", "court").order_by("due_date", "due_time")[:500]
    token = request.session.pop("calendar_token", None)
    feed_url = request.build_absolute_uri(reverse("cases:calendar", args=[token])) if token else ""
    return render(request, "cases/deadlines.html", {
        "deadlines": rows, "today": today(), "show_all": show_all, "feed_url": feed_url,
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
    body = deadlines_calendar(list(open_deadlines_for(user)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

