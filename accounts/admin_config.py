"""The admin, on our admin site (INSTALLED_APPS names this instead of django.contrib.admin).

Its own module: an app config module is imported before the models are ready, and the site
class (accounts.admin_site) imports auth views that need them; `default_site` is imported late.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.StaffAdminSite"
