"""What every staff page shares: the sign-in and permission wrapper, the case lookup, and
services' refusals as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from accounts.decorators import in_english, verified_required

from .. import services
from ..models import (
    Case,
)

PAGE_SIZE = 25
STALE = "This case changed since you opened it: someone else saved first. Nothing was changed; "
STALE += "look at the case again and redo your change if it still applies."


def staff_view(permission="cases.view_case"):
    """Login, then the second factor (accounts), then the permission (403 without it);
    the firm's pages are in English, and no browser or proxy keeps a copy (no-store)."""

    def decorate(view):
        return never_cache(login_required(verified_required(
            permission_required(permission, raise_exception=True)(in_english(view))
        )))

    return decorate


def _case(pk) -> Case:
    queryset = Case.objects.select_related(
        "client__hearing_court", "client__claim", "assigned_attorney", "priority_overridden_by",
        "assigned_paralegal", "consultation_attorney",
    )
    return get_object_or_404(queryset, pk=pk)


def _apply(request, case, change):
    """Run a service; turn its refusals into messages, never a 500."""
    try:
        change()
    except services.StaleCase:
        messages.error(request, STALE)
        return False
    except services.NotAllowed as refused:
        # A refusal that says why (a merge refused, a merged case) says it.
        messages.error(request, str(refused) or "You are not allowed to make that change.")
        return False
    return True

