"""Bulk triage from the dashboard: the selected rows assigned, moved or given a consultation,
through cases.bulk (all or nothing); back to the dashboard with its query."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import bulk
from ..dashboard_forms import BulkForm
from ..filters import attorney_choices
from ..models import Stage
from .common import staff_view
from .dashboard import dashboard_page


def dashboard_url(query: str) -> str:
    """Back to the dashboard with the query it was on, re-encoded (never a URL elsewhere)."""
    query = QueryDict(query or "").urlencode()
    return reverse("cases:dashboard") + (f"?{query}" if query else "")


@require_POST
@staff_view("cases.change_case")
def bulk_change(request):
    attorneys = [(v, label) for v, label in attorney_choices() if v.isdigit()]
    form = BulkForm(request.POST, user=request.user, attorneys=attorneys)
    if not form.is_valid():
        return dashboard_page(request, QueryDict(request.POST.get("next", "")[:4000]),
                              bulk_form=form)  # fmt: skip
    data = form.cleaned_data
    attorney = None
    if data["attorney"]:
        attorney = get_user_model().objects.filter(pk=data["attorney"]).first()
    try:
        done = _apply(request.user, data, attorney)
    except bulk.BulkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{_what(data, attorney)}: " + ", ".join(map(str, done)) + ".")
    return redirect(dashboard_url(data["next"]))


def _apply(user, data, attorney):
    versions, action = data["versions"], data["action"]
    if action == "assign":
        return bulk.cases_assign(versions=versions, attorney=attorney, by=user)
    if action == "stage":
        return bulk.cases_move_stage(versions=versions, to_stage=data["to_stage"], by=user)
    return bulk.cases_schedule_consultation(
        versions=versions, on=data["consultation_date"], at=data["consultation_time"],
        attorney=attorney, mode=data["consultation_mode"], by=user,
    )  # fmt: skip


def _what(data, attorney) -> str:
    if data["action"] == "assign":
        return f"Assigned to {attorney.get_username()}"
    if data["action"] == "stage":
        return f"Moved to {Stage(data['to_stage']).label}"
    return f"Consultation set for {data['consultation_date']:%Y-%m-%d}"
