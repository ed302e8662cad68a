"""An authenticator set up before django-two-factor-auth becomes its default device.

two_factor asks at sign-in for the code of the TOTP device named "default"; the app set up
by the earlier sign-in pages had another name, and without this its owner would be let
past the password to the set-up page instead of being asked for the code.
"""

from django.db import migrations


def name_default(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    confirmed = TOTPDevice.objects.filter(confirmed=True)
    users = confirmed.exclude(user__in=confirmed.filter(name="default").values("user"))
    for user_id in users.values_list("user", flat=True).distinct():
        first = confirmed.filter(user=user_id).order_by("pk").first()
        first.name = "default"
        first.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("otp_totp", "0003_add_timestamps")]

    operations = [migrations.RunPython(name_default, migrations.RunPython.noop)]
