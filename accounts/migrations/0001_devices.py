"""Our second-factor devices (accounts.models), and django-otp's rows moved into them: each
TOTPDevice becomes an AppDevice with its seed encrypted, each StaticDevice a RecoveryDevice
whose unused codes are kept as keyed hashes; the old rows are then deleted (their tables
stay, empty: two_factor imports otp_totp and otp_static, so both stay installed).

Backwards, the apps go back to TOTPDevice with their seeds; recovery codes cannot (only
their hashes are kept): after reversing, each user makes new ones on the recovery-codes page.
"""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.crypto
import accounts.models
from accounts.crypto import code_digests



def _as_typed(token: str) -> str:
    """As accounts.forms.squeeze leaves a typed code: no spaces or dashes, lower case."""
    return re.sub(r"[\s-]", "", token).lower()


def move_devices(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    AppDevice = apps.get_model("accounts", "AppDevice")
    RecoveryDevice = apps.get_model("accounts", "RecoveryDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    kept = ("user_id", "name", "confirmed", "throttling_failure_timestamp",
            "throttling_failure_count", "last_used_at")  # fmt: skip
    app_fields = ("key", "step", "t0", "digits", "tolerance", "drift", "last_t")
    for old in TOTPDevice.objects.order_by("pk"):
        new = AppDevice.objects.create(**{f: getattr(old, f) for f in kept + app_fields})
        AppDevice.objects.filter(pk=new.pk).update(created_at=old.created_at)
    for old in StaticDevice.objects.order_by("pk"):
        new = RecoveryDevice.objects.create(**{f: getattr(old, f) for f in kept})
        RecoveryDevice.objects.filter(pk=new.pk).update(created_at=old.created_at)
        tokens = StaticToken.objects.filter(device=old).values_list("token", flat=True)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=new, digest=code_digests(_as_typed(token), user_id=new.user_id)[0])
            for token in tokens
        )
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()
    TOTPDevice.objects.all().delete()


def move_apps_back(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    AppDevice = apps.get_model("accounts", "AppDevice")
    fields = ("user_id", "name", "confirmed", "throttling_failure_timestamp",
              "throttling_failure_count", "last_used_at", "key", "step", "t0", "digits",
              "tolerance", "drift", "last_t")  # fmt: skip
    for new in AppDevice.objects.order_by("pk"):
        old = TOTPDevice.objects.create(**{f: getattr(new, f) for f in fields})
        TOTPDevice.objects.filter(pk=old.pk).update(created_at=new.created_at)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name='AppDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('key', accounts.crypto.EncryptedSecretField(default=accounts.models.new_key, help_text='The hex-encoded seed (encrypted at rest).', validators=[accounts.models.key_validator])),
                ('step', models.PositiveSmallIntegerField(default=30)),
                ('t0', models.BigIntegerField(default=0)),
                ('digits', models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)),
                ('tolerance', models.PositiveSmallIntegerField(default=1)),
                ('drift', models.SmallIntegerField(default=0)),
                ('last_t', models.BigIntegerField(default=-1)),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator app',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecoveryDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'recovery codes',
                'verbose_name_plural': 'recovery codes',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='accounts.recoverydevice')),
            ],
        ),
        migrations.RunPython(move_devices, move_apps_back),
    ]
