"""The second factor in the admin: who has an authenticator app and recovery codes, and
deleting them (a lost phone: the user sets up a new app at the next sign-in). No seed and
no code is shown there, and none can be typed in: devices are made by the set-up only.

django-otp's own admins (otp_totp's TOTPDevice, otp_static's StaticDevice) are taken off:
those tables are no longer used (accounts' migration 0001_devices moved their rows here),
and their add form would take a seed chosen by whoever types it."""

from django.contrib import admin
from django.db.models import Count
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AppDevice, RecoveryDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at",
              "throttling_failure_count"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AppDevice)
class AppDeviceAdmin(DeviceAdmin):
    pass


@admin.register(RecoveryDevice)
class RecoveryDeviceAdmin(DeviceAdmin):
    list_display = [*DeviceAdmin.list_display, "codes_left"]
    fields = [*DeviceAdmin.fields, "codes_left"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(left=Count("codes"))

    @admin.display(description="codes left", ordering="left")
    def codes_left(self, device):
        return device.left
