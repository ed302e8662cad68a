"""The second factor's secrets at rest (issue 16): a copy of the database passes nobody's
second step. The authenticator's seed is encrypted with FIELD_ENCRYPTION_KEYS, the pending
key of a set-up too; recovery codes are kept only as keyed hashes. Sign-in works as before,
and the rows django-otp kept before are moved by the migration without anyone noticing."""

import importlib
import threading
from base64 import b32decode, b32encode
from binascii import hexlify
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AppDevice, RecoveryCode, RecoveryDevice
from accounts.recovery import recovery_codes_issue, recovery_codes_left
from tests.conftest import verified_login

from .helpers import (
    RECOVERY,
    SETUP,
    after_password,
    app_of,
    at_code_step,
    code_for_key,
    code_of,
    error_of,
    recovery_codes_on,
    shown_key,
    sign_in,
    signed_in,
    staff_member,
    type_code,
    type_recovery_code,
    type_setup_code,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("accounts.migrations.0001_devices")


def database_dump() -> str:
    """Every row of every table as PostgreSQL prints it, and every session decoded (its
    data is base64 of JSON, so a copied key would not show as text): what a stolen backup
    or a read-only SQL injection gives."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        rows = []
        for table in tables:
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')  # noqa: S608
            rows += [row for (row,) in cursor.fetchall()]
    sessions = [str(SessionStore().decode(s.session_data)) for s in Session.objects.all()]
    return "\n".join(rows + sessions).lower()


def spellings_of_key(base32_key: str) -> set[str]:
    """The seed as hex and as base32 (with and without its padding), lower case."""
    raw = b32decode(base32_key.replace(" ", ""))
    b32 = b32encode(raw).decode().lower()
    return {hexlify(raw).decode(), b32, b32.rstrip("=")}


def spellings_of_code(shown_code: str) -> set[str]:
    return {shown_code.lower(), shown_code.replace("-", "").lower()}


def raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


# The attack: a copy of the database --------------------------------------------------


def test_a_copy_of_the_database_holds_no_seed_and_no_recovery_code(lawyer, settings,
                                                                    time_machine):  # fmt: skip
    """After a real set-up (page, app code, recovery codes shown), no table and no session
    holds the seed, in hex or base32, nor any recovery code; the devices' rows hold a Fernet
    token and 64-digit hashes. The same person then signs in with the app and with a code."""
    time_machine.move_to(timezone.now(), tick=False)
    browser = after_password(lawyer)
    setup = browser.get(f"{SETUP}?next=/cases/")
    key = shown_key(setup)
    # The QR code and the page's otpauth:// link are our device's config_url: this key.
    assert setup.context["otpauth_url"].startswith("otpauth://totp/")
    assert f"secret={key.replace(' ', '')}" in setup.context["otpauth_url"]
    mid_setup = database_dump()
    assert not any(s in mid_setup for s in spellings_of_key(key)), "pending key in plain text"

    response = type_setup_code(browser, code_for_key(key), "/cases/")
    assert response["Location"] == f"{RECOVERY}?next=/cases/"
    codes = recovery_codes_on(browser.get(response["Location"]))
    assert len(codes) == 10

    dump = database_dump()
    for spelling in spellings_of_key(key):
        assert spelling not in dump, "the seed is readable in the database"
    for code in codes:
        for spelling in spellings_of_code(code):
            assert spelling not in dump, "a recovery code is readable in the database"
    with connection.cursor() as cursor:  # a Fernet token of our key, and hashes
        cursor.execute("SELECT key FROM accounts_appdevice WHERE user_id = %s", [lawyer.pk])
        (token,) = cursor.fetchone()
    seed = Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode())
    assert seed.decode() in spellings_of_key(key)
    codes_of = RecoveryCode.objects.filter(device__user=lawyer)
    digests = list(codes_of.values_list("digest", flat=True))
    assert len(digests) == 10 and all(len(d) == 64 and int(d, 16) >= 0 for d in digests)
    # django-otp's tables are not used at all.
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()

    # The real user still signs in, with the app and with a recovery code.
    time_machine.shift(timedelta(seconds=31))
    again = after_password(lawyer, "/cases/")
    assert type_code(again, code_for_key(key), "/cases/")["Location"] == "/cases/"
    time_machine.shift(timedelta(seconds=31))
    response = type_recovery_code(after_password(lawyer), codes[0])
    assert response.status_code == 302 and signed_in(response)
    assert recovery_codes_left(user=lawyer) == 9


def test_the_hashes_from_a_copy_do_not_sign_in(lawyer, time_machine):
    """Typing what the database holds (the hash, the token) is refused like any wrong code."""
    time_machine.move_to(timezone.now(), tick=False)
    app_of(lawyer)
    recovery_codes_issue(user=lawyer)
    digest = RecoveryCode.objects.filter(device__user=lawyer).values_list("digest", flat=True)[0]
    response = type_recovery_code(after_password(lawyer), digest)
    assert response.status_code == 200
    assert "That code is not right" in error_of(response)
    assert recovery_codes_left(user=lawyer) == 10


def test_the_code_that_confirmed_the_app_signs_nobody_in(lawyer, time_machine):
    """The set-up's code counts as used: seen over a shoulder at set-up, it does not pass
    the second step in the same 30 seconds; the app's next code does."""
    time_machine.move_to(timezone.now(), tick=False)
    browser = after_password(lawyer)
    key = shown_key(browser.get(SETUP))
    code = code_for_key(key)
    assert type_setup_code(browser, code).status_code == 302
    other = after_password(lawyer)
    response = type_code(other, code)
    assert at_code_step(response) and not signed_in(response)
    time_machine.shift(timedelta(seconds=31))
    assert signed_in(type_code(after_password(lawyer), code_for_key(key)))


def test_a_used_recovery_code_fails_the_second_time(lawyer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    app_of(lawyer)
    codes = recovery_codes_issue(user=lawyer)
    assert signed_in(type_recovery_code(after_password(lawyer), codes[5]))
    time_machine.shift(timedelta(seconds=5))
    response = type_recovery_code(after_password(lawyer), codes[5])
    assert response.status_code == 200 and not signed_in(response)
    assert "That code is not right" in error_of(response)
    assert recovery_codes_left(user=lawyer) == 9


def test_recovery_codes_survive_a_new_secret_key_while_the_old_one_is_a_fallback(
    lawyer, settings, time_machine
):
    """Rotating SECRET_KEY the Django way (the old key in SECRET_KEY_FALLBACKS) keeps the
    codes working; once the old key is dropped, the codes made under it no longer match."""
    time_machine.move_to(timezone.now(), tick=False)
    app_of(lawyer)
    codes = recovery_codes_issue(user=lawyer)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a brand new secret key " * 3, [old]
    assert signed_in(type_recovery_code(after_password(lawyer), codes[0]))
    settings.SECRET_KEY_FALLBACKS = []
    time_machine.shift(timedelta(seconds=5))
    assert not signed_in(type_recovery_code(after_password(lawyer), codes[1]))


# Key rotation ----------------------------------------------------------------------------


def test_rotate_keys_re_encrypts_the_seed_and_the_app_still_signs_in(lawyer, settings,
                                                                     time_machine):  # fmt: skip
    """With a new key first, rotate_keys re-encrypts the seed; with the old key gone, the
    same app's code still passes."""
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "accounts.AppDevice: 1 rows, 1 values re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert AppDevice.objects.get(pk=device.pk).key == device.key
    assert signed_in(type_code(after_password(lawyer), code_of(device)))


def test_a_set_up_begun_under_a_dropped_key_starts_again(lawyer, settings):
    """The pending key of a set-up is sealed too: if its key is dropped before the set-up is
    done, the page shows a new key (no error), and that one enrols."""
    browser = after_password(lawyer)
    first = shown_key(browser.get(SETUP))
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    page = browser.get(SETUP)
    assert page.status_code == 200
    second = shown_key(page)
    assert second != first and shown_key(browser.get(SETUP)) == second
    assert browser.get("/staff/two-factor/qrcode/").status_code == 200
    assert type_setup_code(browser, code_for_key(second)).status_code == 302
    assert AppDevice.objects.get(user=lawyer).key in spellings_of_key(second)


# The migration of django-otp's rows ----------------------------------------------------


def test_the_migration_moves_old_devices_and_the_user_signs_in_as_before(lawyer, paralegal,
                                                                         time_machine):  # fmt: skip
    """An app and recovery codes stored by django-otp before this change: after the move
    the same app's codes and the same unused recovery codes sign in (a code used before
    still does not, nor a code already used on the app); the seed is encrypted, the codes
    hashed, and django-otp's rows are gone."""
    time_machine.move_to(timezone.now(), tick=False)
    old_app = TOTPDevice.objects.create(user=lawyer, name="default", confirmed=True)
    used_code = f"{totp(old_app.bin_key):06d}"
    assert old_app.verify_token(used_code)  # signed in with it before the migration
    static = StaticDevice.objects.create(user=lawyer, name="Recovery codes")
    tokens = [StaticToken.random_token() for _ in range(3)]
    for token in tokens:
        static.token_set.create(token=token)
    assert static.verify_token(tokens[0])  # one used before the migration
    other_app = TOTPDevice.objects.create(user=paralegal, name="default", confirmed=False)
    before = database_dump()  # django-otp's way: the seed and the codes there to read
    assert old_app.key in before and all(token in before for token in tokens[1:])

    MIGRATION.move_devices(apps, None)

    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    app = AppDevice.objects.get(user=lawyer)
    assert (app.key, app.name, app.confirmed, app.last_t) == (
        old_app.key, "default", True, old_app.last_t)  # fmt: skip
    assert old_app.key not in raw_row("accounts_appdevice", app.pk)
    assert AppDevice.objects.get(user=paralegal).key == other_app.key
    assert not AppDevice.objects.get(user=paralegal).confirmed
    assert RecoveryDevice.objects.get(user=lawyer).codes.count() == 2
    dump = database_dump()
    assert not any(token in dump for token in tokens)

    # The same code again (replay): refused; the app's next code: in.
    assert not signed_in(type_code(after_password(lawyer), used_code))
    time_machine.shift(timedelta(seconds=31))
    assert signed_in(type_code(after_password(lawyer), f"{totp(old_app.bin_key):06d}"))
    time_machine.shift(timedelta(seconds=5))
    assert not signed_in(type_recovery_code(after_password(lawyer), tokens[0]))
    time_machine.shift(timedelta(seconds=5))
    assert signed_in(type_recovery_code(after_password(lawyer), tokens[1].upper()))
    assert recovery_codes_left(user=lawyer) == 1


def test_the_migration_backwards_gives_the_apps_back(lawyer, time_machine):
    """Reversed, each app is a TOTPDevice again with its seed (recovery codes are hashes:
    they cannot come back)."""
    time_machine.move_to(timezone.now(), tick=False)
    device = app_of(lawyer)
    MIGRATION.move_apps_back(apps, None)
    old = TOTPDevice.objects.get(user=lawyer)
    assert (old.key, old.name, old.confirmed) == (device.key, "default", True)


# Where the devices show -----------------------------------------------------------------


def test_the_admin_shows_no_seed_and_makes_no_device(boss, lawyer):
    """An administrator sees who has an app and how many recovery codes are left, and may
    delete them (a lost phone); no seed, no code, no way to add a device of their choosing;
    django-otp's own device admins are gone."""
    device = app_of(lawyer)
    recovery_codes_issue(user=lawyer)
    browser = Client()
    verified_login(browser, boss)
    page = browser.get(f"/admin/accounts/appdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert not any(s in page.content.decode().lower()
                   for s in spellings_of_key(b32encode(device.bin_key).decode()))  # fmt: skip
    assert browser.get("/admin/accounts/appdevice/add/").status_code == 403
    recovery = RecoveryDevice.objects.get(user=lawyer)
    page = browser.get(f"/admin/accounts/recoverydevice/{recovery.pk}/change/")
    assert page.status_code == 200 and '<div class="readonly">10</div>' in page.content.decode()
    assert browser.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert browser.get("/admin/otp_static/staticdevice/").status_code == 404
    response = browser.post(f"/admin/accounts/appdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AppDevice.objects.filter(user=lawyer).exists()


# Races ----------------------------------------------------------------------------------


def _race(verify, times: int = 2) -> list[bool]:
    """`verify` run by `times` threads at once, each with its own database connection and
    its own copy of the device, loaded before they start (as two sign-in requests have)."""
    barrier, results = threading.Barrier(times), []

    def attempt():
        try:
            ready = verify()
            barrier.wait(timeout=10)
            results.append(ready())
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_sign_ins_racing_with_one_code_let_only_one_in():
    """The same app code, or the same recovery code, sent by two requests at the same
    moment: one passes, the other is refused (the device's row is locked while it is
    checked, and its last code step read afresh)."""
    user = staff_member("racer", None)
    device = app_of(user)
    code = code_of(device)
    codes = recovery_codes_issue(user=user)

    def with_app():
        copy = AppDevice.objects.get(pk=device.pk)
        return lambda: copy.verify_token(code)

    assert sorted(_race(with_app)) == [False, True]

    recovery = RecoveryDevice.objects.get(user=user)

    def with_recovery_code():
        copy = RecoveryDevice.objects.get(pk=recovery.pk)
        return lambda: copy.verify_token(codes[0])

    assert sorted(_race(with_recovery_code)) == [False, True]
    assert recovery_codes_left(user=user) == 9


def test_two_factor_disable_removes_our_devices(lawyer, time_machine):
    """After a lost phone, the README's command (django-two-factor-auth's) removes the app
    and the recovery codes; the next sign-in sets up a new app."""
    time_machine.move_to(timezone.now(), tick=False)
    app_of(lawyer)
    recovery_codes_issue(user=lawyer)
    call_command("two_factor_disable", "lawyer")
    assert not AppDevice.objects.filter(user=lawyer).exists()
    assert not RecoveryDevice.objects.filter(user=lawyer).exists()
    assert not RecoveryCode.objects.exists()
    response = sign_in(Client(), "lawyer")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
