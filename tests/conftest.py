import os

import pytest

from .chromium import chromium, phone  # noqa: F401
from .mailserver import mail_server, smtp  # noqa: F401
from .worker import broker, celery_worker_process  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _tests_may_empty_the_access_log():
    """pytest-django empties the database after each transactional test with TRUNCATE, which
    the access log refuses (cases.models.CaseAccess); only that emptying is let through."""
    import pgtrigger
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with pgtrigger.ignore("cases.CaseAccess:no_truncate"):
            original(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def reference_data(transactional_db):
    """Data migrations' rows, which a transactional test's flush removes."""
    from django.apps import apps

    from cases.courts import load_courts
    from cases.models import Court
    from cases.roles import create_roles

    load_courts(Court)
    create_roles(apps)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (the tests' own Redis)."""
    from django.core.cache import cache

    cache.clear()


def verified_login(client, user):
    """Sign a staff user in with both steps done, as after the password and the app's code:
    a confirmed authenticator device, and the session marked as verified by it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AppDevice

    device = AppDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # "default": the device two_factor asks for at sign-in
        device = AppDevice.objects.create(user=user, name="default", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def browser_of(user):
    """A test client signed in as `user`, second factor done."""
    from django.test import Client

    browser = Client()
    verified_login(browser, user)
    return browser


@pytest.fixture
def lawyer():
    """An attorney (group "attorneys")."""
    from .factories import member_of

    return member_of("lawyer", "attorneys")


@pytest.fixture
def paralegal():
    """A paralegal (group "staff")."""
    from .factories import member_of

    return member_of("paralegal", "staff")


@pytest.fixture
def attorney(client, lawyer):
    """The attorney, signed in on the test's `client` with the second factor done."""
    verified_login(client, lawyer)
    return lawyer
