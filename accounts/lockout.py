"""django-axes' lockout, per account and per address as well as per pair: its handler
counts the failures (AXES_HANDLER), and its answer to a locked-out sign-in
(AXES_LOCKOUT_CALLABLE) is our sign-in page."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse

# The same words whoever the username is, whether or not that account exists, and whichever
# limit was reached (saying "this account" would tell a sprayer which names are real).
LOCKED_OUT = (
    "Too many failed sign-in attempts. Sign-in is paused for {minutes} minutes; try again "
    "later, or ask an administrator."
)


def _limit_of(parameters) -> int:
    return dict((tuple(p), n) for p, n in settings.ACCOUNTS_LOCKOUT_LIMITS)[tuple(parameters)]


class LockoutHandler(AxesDatabaseHandler):
    """axes has one AXES_FAILURE_LIMIT for every AXES_LOCKOUT_PARAMETERS combination; each
    of ours has its own (settings.ACCOUNTS_LOCKOUT_LIMITS). The failures of each combination
    are scaled onto AXES_FAILURE_LIMIT, so axes' own checks (before the password and after a
    failure) lock out when any one combination reaches its limit."""

    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        worst = 0
        combinations = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        for parameters, attempts in zip(combinations, attempts_list, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * limit // _limit_of(parameters))
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A good password clears that account's failures, never the address's failures
        over other usernames: an attacker's own account must not reset a spray."""
        combinations = get_lockout_parameters(request, credentials)
        count = 0
        attempts_list = self.filter_user_attempts(request, credentials)
        for parameters, attempts in zip(combinations, attempts_list, strict=True):
            if "username" in parameters:
                count += attempts.delete()[0]
        return count


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page itself, answered as 429 Too Many Requests: the page already says
    why (accounts.views.LoginView reads request.axes_locked_out), and keeps the form so
    the person can try again once the pause is over."""
    if not isinstance(original_response, HttpResponse):  # no page at hand (axes' async path)
        original_response = HttpResponse("Too many failed sign-in attempts.")
    original_response.status_code = 429
    return original_response
