"""What every staff page needs: English, and a session through both sign-in steps."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from two_factor.utils import default_device


def in_english(view):
    """The firm's pages are in English, whatever language a client chose on this browser
    (the LANGUAGE cookie the public intake sets is for the intake only)."""

    @wraps(view)
    def english(request, *args, **kwargs):
        translation.activate("en")
        request.LANGUAGE_CODE = "en"
        return view(request, *args, **kwargs)

    return english


def is_verified(user) -> bool:
    """Signed in and through the second step in this session (django_otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and check is not None and check())


def to_second_factor(request, next_url: str):
    """Where a session short of the second factor goes, then on to next_url: someone signed
    in with no authenticator yet sets one up; anyone else signs in, password then code
    (two_factor signs a user with an authenticator in only after the code)."""
    if request.user.is_authenticated and default_device(request.user) is None:
        return redirect_to_login(next_url, "two_factor:setup")
    return redirect_to_login(next_url)


def verified_required(view):
    """Sign-in and the second factor first (django_otp's otp_required, but a user without
    an authenticator is sent to set one up rather than to the sign-in)."""

    @wraps(view)
    def check(request, *args, **kwargs):
        if not is_verified(request.user):
            return to_second_factor(request, request.get_full_path())
        return view(request, *args, **kwargs)

    return check
