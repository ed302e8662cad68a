"""Staff sign-in pages, under /staff/ before django.contrib.auth.urls (which they override)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts

urlpatterns = [
    path("login/", accounts.StaffLoginView.as_view(), name="login"),
    path("two-factor/", accounts.verify, name="two_factor_verify"),
    path("two-factor/setup/", accounts.setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", accounts.recovery_codes,
         name="two_factor_recovery_codes"),
    # Changing the password is a staff page like the others: second factor first.
    path("password_change/",
         accounts.verified_required(auth_views.PasswordChangeView.as_view()),
         name="password_change"),
    path("password_change/done/",
         accounts.verified_required(auth_views.PasswordChangeDoneView.as_view()),
         name="password_change_done"),
]
