"""The Django admin behind the second factor, signed in through the staff sign-in; only for
administrators, and every view in it handed to the audit trail."""

from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor.admin import AdminSiteOTPRequired

from .decorators import is_verified, to_second_factor

# The firm's administrators (the group cases.roles makes). is_staff alone is a flag anyone
# with access to the users table can set; the group is what the firm grants.
ADMINISTRATORS = "administrators"


class StaffAdminSite(AdminSiteOTPRequired):
    """two_factor's admin site (a verified session is needed for any admin page); its login
    page sends the visitor to our sign-in (lockout, second factor), or straight to the
    set-up of an authenticator for someone signed in who has none yet.

    `access_recorder(request, *, view, kwargs, status, started)` keeps the audit trail of
    every admin view; the app that owns the trail sets it (accounts knows no case model).
    Without one the admin does not open: an unrecorded admin is the side door again."""

    access_recorder = None

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        return user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()

    def admin_view(self, view, cacheable=False):
        return super().admin_view(self._recorded(view), cacheable)

    def _recorded(self, view):
        @wraps(view)
        def recorded(request, *args, **kwargs):
            if self.access_recorder is None:
                raise ImproperlyConfigured("The admin needs an access_recorder.")
            started = timezone.now()
            try:
                # The change and its record commit together, or neither does.
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
                    self.access_recorder(request, view=view, kwargs=kwargs,
                                         status=response.status_code, started=started)  # fmt: skip
            except (PermissionDenied, Http404) as refused:
                status = 403 if isinstance(refused, PermissionDenied) else 404
                self.access_recorder(request, view=view, kwargs=kwargs, status=status,
                                     started=started)  # fmt: skip
                raise
            return response

        return recorded

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(next_url)
        if is_verified(request.user):  # both steps done, but not an administrator
            if self.access_recorder is not None:
                self.access_recorder(request, view=self.login, kwargs={}, status=403,
                                     started=timezone.now())  # fmt: skip
            raise PermissionDenied
        return to_second_factor(request, next_url)
