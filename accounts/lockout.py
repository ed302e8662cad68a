"""django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE)."""

from django.http import HttpResponse

# The same words whoever the username is, and whether or not that account exists.
LOCKED_OUT = (
    "Too many failed sign-in attempts for this username from your network. Sign-in is "
    "paused for {minutes} minutes; try again later, or ask an administrator."
)


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page itself, answered as 429 Too Many Requests: the page already says
    why (accounts.views.LoginView reads request.axes_locked_out), and keeps the form so
    the person can try again once the pause is over."""
    if not isinstance(original_response, HttpResponse):  # no page at hand (axes' async path)
        original_response = HttpResponse("Too many failed sign-in attempts.")
    original_response.status_code = 429
    return original_response
