from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="intake:start"), name="home"),
    path("intake/", include("intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("cases.urls")),
    # Sign-in with the second factor first; the rest (logout, password reset) is Django's.
    path("staff/", include("cases.urls_accounts")),
    path("staff/", include("django.contrib.auth.urls")),
    # Behind the second factor too: cases.middleware.AdminTwoFactorMiddleware.
    path("admin/", admin.site.urls),
]
