"""Staff sign-in pages, under /staff/: two_factor's names (two_factor:login, :setup, :qr,
:backup_tokens) on our views, then Django's own account pages (logout, password reset)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .decorators import in_english, verified_required

two_factor_urls = ([
    path("login/", views.LoginView.as_view(), name="login"),
    path("two-factor/setup/", views.SetupView.as_view(), name="setup"),
    path("two-factor/qrcode/", views.QRGeneratorView.as_view(), name="qr"),
    path("two-factor/recovery-codes/", views.BackupTokensView.as_view(), name="backup_tokens"),
], "two_factor")  # fmt: skip


def _staff(view):
    return verified_required(in_english(view))


urlpatterns = [
    path("", include(two_factor_urls)),
    # Django's name for the sign-in (settings.LOGIN_URL, templates): the same page.
    path("login/", views.LoginView.as_view(), name="login"),
    # Changing the password is a staff page like the others: second factor first.
    path("password_change/", _staff(auth_views.PasswordChangeView.as_view()),
         name="password_change"),
    path("password_change/done/", _staff(auth_views.PasswordChangeDoneView.as_view()),
         name="password_change_done"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # The rest (logout, the reset's later pages) is Django's; the paths above are matched
    # first.
    path("", include("django.contrib.auth.urls")),
]
