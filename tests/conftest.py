import os

import pytest

from .browser import chromium, phone  # noqa: F401
from .mailserver import mail_server, smtp  # noqa: F401
from .worker import broker, celery_worker_process  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def reference_data(transactional_db):
    """Data migrations' rows, which a transactional test's flush removes."""
    from django.apps import apps

    from cases.roles import create_roles
    from intake.courts import load_courts
    from intake.models import Court

    load_courts(Court)
    create_roles(apps)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (the tests' own Redis)."""
    from django.core.cache import cache

    cache.clear()
