"""Tests: the real PostgreSQL and Redis of this machine."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/asylum_intake"
    ),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The worker process the tests start sends through SMTP; the test process keeps mail local.
OUTBOX_TRANSPORT = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
# A Redis server of the tests' own (tests/worker.py starts it), so a test can stop it.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6399/0")
SITE_URL = "http://testserver"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default="redis://127.0.0.1:6399/1"),
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests walk the wizard faster than a person; tests of the limits set their own values.
INTAKE_MIN_SECONDS_PER_PAGE = 0
# Test-only: a pause after each progress report of an export job, so a test can stop the
# worker in the middle of one (tests/cases/test_export_jobs.py); 0 everywhere else.
EXPORT_TEST_PAUSE_SECONDS = env.float("EXPORT_TEST_PAUSE_SECONDS", default=0.0)
