"""The embedded default: SQLite, eager Celery, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import SILENCED_SYSTEM_CHECKS, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-do-not-deploy")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
OUTBOX_TRANSPORT = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# The demo runs in one process (runserver), so its in-memory cache counts the intake's rate
# limits correctly; E003 is django-ratelimit saying that cache is not shared between processes.
# With CACHE_URL set to Redis the check passes by itself.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]
