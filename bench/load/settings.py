"""Settings for the load benchmark (bench/load/run.py): the test settings, with the
per-IP intake rate limits raised (every request comes from 127.0.0.1), DEBUG off,
real SMTP to the benchmark's own counting server, and one extra baseline route."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, INTAKE_RATE_LIMITS

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60  # as in production: connections kept between requests
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.load.urls"
INTAKE_RATE_LIMITS = {key: "1000000/h" for key in INTAKE_RATE_LIMITS}
INTAKE_MIN_SECONDS_PER_PAGE = 0

OUTBOX_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8025"))
EMAIL_USE_TLS = False
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
