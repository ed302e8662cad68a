"""The signed-in user's own choice of how new intakes reach them (cases.alerts)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from .. import alerts
from ..forms import AlertSettingsForm
from ..models import TriageAlerts
from .common import staff_view


@staff_view()
def alert_settings(request):
    current = alerts.staff_alerts_of(request.user)
    hours = settings.TRIAGE_DIGEST_HOURS
    form = AlertSettingsForm(request.POST or None, digest_hours=hours,
                             initial={"triage_alerts": current.triage_alerts})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["triage_alerts"]
        alerts.staff_alerts_choose(user=request.user, triage_alerts=chosen)
        messages.success(request, "Saved: every new intake will reach you at once."
                         if chosen == TriageAlerts.IMMEDIATE else
                         f"Saved: critical intakes at once, the others in a digest every "
                         f"{hours} hours.")  # fmt: skip
        return redirect("cases:alert_settings")
    on_duty = request.user.groups.filter(name=settings.TRIAGE_GROUP).exists()
    return render(request, "cases/alert_settings.html", {
        "form": form, "current": current, "on_duty": on_duty, "hours": hours,
    })  # fmt: skip
