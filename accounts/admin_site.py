"""The Django admin behind the second factor, signed in through the staff sign-in."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor.admin import AdminSiteOTPRequired

from .decorators import is_verified, to_second_factor


class StaffAdminSite(AdminSiteOTPRequired):
    """two_factor's admin site (a verified session is needed for any admin page); its login
    page sends the visitor to our sign-in (lockout, second factor), or straight to the
    set-up of an authenticator for someone signed in who has none yet."""

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(next_url)
        if is_verified(request.user):  # both steps done, but not an administrator
            raise PermissionDenied
        return to_second_factor(request, next_url)
