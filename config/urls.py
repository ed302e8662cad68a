from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="intake:start"), name="home"),
    path("intake/", include("intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("cases.urls")),
    # Sign-in, second factor, password pages (accounts.urls).
    path("staff/", include("accounts.urls")),
    # Behind the second factor too: accounts.admin_site.StaffAdminSite.
    path("admin/", admin.site.urls),
]
