"""Settings shared by every environment; values come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "accounts.admin_config.StaffAdminConfig",  # django.contrib.admin, on accounts' admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # its widget templates, found through TEMPLATES (FORM_RENDERER below)
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "phonenumber_field",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "django_ratelimit",  # for its system check that the counting cache is shared
    "pgtrigger",
    # The project's apps; each depends only on those below it (README, Layout).
    "accounts",
    "intake",
    "cases",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",  # PERMISSIONS_POLICY below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits (needs the user and messages; before OTP).
    "accounts.middleware.SessionTimeoutMiddleware",
    # request.user.is_verified(): signed in through the second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as its docs ask: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: our own origin only, no inline script (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Permissions-Policy (django-permissions-policy): no page of ours uses the device's sensors,
# payments or hardware ports, so no page (nor anything injected into one) may ask for them.
# Picking a photo or a file to upload is the browser's own dialog and needs none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "bluetooth", "browsing-topics", "camera",
        "display-capture", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
}  # fmt: skip

# The language cookie is the client's language only, but it says an asylum intake was
# used: never over plain HTTP in production (LANGUAGE_COOKIE_SECURE there), never to script.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# No "loaders" option: Django then wraps the filesystem and app loaders in its cached loader,
# with DEBUG on too (every template, crispy's and the widgets', compiled once per process).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache (sessions, slow-changing dashboard parts): Redis when CACHE_URL names it,
# else this process's memory (the embedded default).
CACHE_URL = env("CACHE_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith("redis://")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions stay in the database: a client's intake must not depend on Redis being up.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the four languages of our clients.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The firm's own time zone: "today" for deadlines is the firm's today.
TIME_ZONE = env("FIRM_TIME_ZONE", default="America/Los_Angeles")

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside the web root and are never served directly.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))

# As cookiecutter-django: widgets render through TEMPLATES, so through the cached loader, and
# a template in templates/django/forms/ would override Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = "US"
PHONENUMBER_DB_FORMAT = "E164"

# A client may paste a long story; the form's own limits give the message,
# so the request limit sits well above them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# E-mail
# Every e-mail goes into the outbox (notifications); the worker sends it through the
# transport, SMTP unless DJANGO_EMAIL_BACKEND names another of Django's backends.
EMAIL_BACKEND = "notifications.backends.OutboxBackend"
OUTBOX_TRANSPORT = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Asylum Intake <intake@firm.example>")
# Links in e-mails point here (no request at hand in a worker).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: JSON only, bounded tasks (STYLE.md).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TIMEZONE = TIME_ZONE
# Must exceed any countdown or ETA we ever use, or Redis redelivers early.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# A submit must not wait long for a broker that is down: the outbox sweep catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"notifications.tasks.send_email": {"queue": "email"}}
# Deadline reminders: the daily digest at this local hour (TIME_ZONE), critical alerts often.
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
REMINDER_OFFSETS_DAYS = env.list("REMINDER_OFFSETS_DAYS", cast=int, default=[30, 14, 7, 3, 1, 0])
# New intakes that are not critical reach the attorneys on duty in a digest every this many
# hours (on the hour, counted from midnight in TIME_ZONE), unless they chose every intake at
# once (cases.alerts).
TRIAGE_DIGEST_HOURS = env.int("TRIAGE_DIGEST_HOURS", default=4)
if not 1 <= TRIAGE_DIGEST_HOURS <= 24:
    raise ImproperlyConfigured("TRIAGE_DIGEST_HOURS must be a whole number from 1 to 24.")
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "daily-reminders": {
        "task": "cases.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=0),
    },
    "critical-deadlines": {
        "task": "cases.tasks.send_critical_reminders",
        "schedule": crontab(minute="*/30"),
    },
    # Triage again for the passage of time, just after midnight in the firm's zone.
    "daily-triage": {"task": "cases.tasks.retriage", "schedule": crontab(hour=0, minute=5)},
    # Hourly: it also clears the anonymous intake sessions, which expire within the hour.
    "purge-intake-drafts": {"task": "intake.tasks.purge_drafts", "schedule": crontab(minute=30)},
    "triage-digest": {
        "task": "cases.tasks.send_triage_digests",
        "schedule": crontab(hour=f"*/{TRIAGE_DIGEST_HOURS}", minute=0),
    },
}

# Exports: more rows than this run as a background job with a progress page (cases.export_jobs);
# its file is kept encrypted for EXPORT_KEEP_HOURS, then deleted. A running job whose worker
# has not written for EXPORT_STALE_SECONDS lost it (killed, out of memory) and is failed.
EXPORT_ASYNC_THRESHOLD = env.int("EXPORT_ASYNC_THRESHOLD", default=5000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=600)
# A million rows of XLSX take minutes, not the minute every other task gets.
EXPORT_TIME_LIMIT_SECONDS = env.int("EXPORT_TIME_LIMIT_SECONDS", default=3600)
# The Celery queue export jobs go to: "default" (compose's worker), or a queue of their own
# with workers of its own, so a long export never holds up e-mail or reminders.
EXPORT_QUEUE = env("EXPORT_QUEUE", default="default")
CELERY_TASK_ANNOTATIONS = {
    "cases.tasks.export_run": {
        "soft_time_limit": EXPORT_TIME_LIMIT_SECONDS,
        "time_limit": EXPORT_TIME_LIMIT_SECONDS + 60,
    },
}
# The dashboard's counts read the caseload's tally (cases.tally); summed every 10 minutes it
# stays a few thousand rows whatever the day's writes.
CELERY_BEAT_SCHEDULE["compact-tally"] = {
    "task": "cases.tasks.compact_tally", "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["sweep-exports"] = {
    "task": "cases.tasks.sweep_exports", "schedule": crontab(minute="*/15"),
}

# Outbox: retries with exponential backoff (seconds), and the sweep's patience.
EMAIL_RETRY_BASE_SECONDS = env.float("EMAIL_RETRY_BASE_SECONDS", default=30.0)
EMAIL_RETRY_MAX_SECONDS = env.float("EMAIL_RETRY_MAX_SECONDS", default=3600.0)
EMAIL_SWEEP_GRACE_SECONDS = env.float("EMAIL_SWEEP_GRACE_SECONDS", default=60.0)
# Longer than CELERY_TASK_TIME_LIMIT: a row "sending" this long has lost its worker.
EMAIL_SENDING_STALE_SECONDS = env.float("EMAIL_SENDING_STALE_SECONDS", default=600.0)

# Triage: attorneys on duty are the "triage duty" group; these addresses if it is empty.
TRIAGE_GROUP = "triage duty"
TRIAGE_FALLBACK_EMAILS = env.list("TRIAGE_FALLBACK_EMAILS", default=["intake@firm.example"])
FIRM_NAME = env("FIRM_NAME", default="Asylum Intake Law Group")
FIRM_PHONE = env("FIRM_PHONE", default="+1 619 555 0199")
FIRM_EMAIL = env("FIRM_EMAIL", default="intake@firm.example")
# Where a client comes for a consultation at the office (the consultation e-mail says it).
FIRM_ADDRESS = env("FIRM_ADDRESS", default="110 West C Street, Suite 1200, San Diego, CA 92101")

# Encryption at rest (Fernet; the first key encrypts, all keys decrypt, so keys rotate).
# The local default is for the demo only; production has no default.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["NPOD0i9pWk0iGQpBnNqbIhh8vS4nYhLBc0Q9qXLBr6c="]
)
# Keyed hash that keeps the encrypted A-number findable by exact match.
A_NUMBER_HASH_KEY = env("A_NUMBER_HASH_KEY", default="local-only-a-number-hash-key")

# Public intake anti-automation: a hidden field, a minimum time per page, rate limits per IP.
# A child about to turn 21 is flagged this many months ahead (file before the birthday).
DERIVATIVE_WARNING_MONTHS = env.int("DERIVATIVE_WARNING_MONTHS", default=12)
INTAKE_MIN_SECONDS_PER_PAGE = env.float("INTAKE_MIN_SECONDS_PER_PAGE", default=2.0)
INTAKE_RATE_LIMITS = {"submit": "10/h", "save": "20/h", "resume": "30/h", "step": "600/h",
                      "upload": "30/h"}
# Counted by django-ratelimit (intake/antiautomation.py) in the shared cache, so every web
# process sees the same counts. A cache outage lets clients through rather than away.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
# The client's address. gunicorn faces clients directly in docker-compose.yml; behind a
# proxy that overwrites a header with the address it saw (nginx: X-Real-IP $remote_addr),
# name that header here (e.g. HTTP_X_REAL_IP). Never a header the client can set itself.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# W001 only says Django's own RedisCache (Django 4.0+) is not on the library's list yet
# (jsocol/django-ratelimit#283); its add and INCR are atomic in Redis, which is what it needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Intake
INTAKE_RESUME_DAYS = env.int("INTAKE_RESUME_DAYS", default=30)
# Wrong answers (date of birth, or the e-mail address) allowed before a resumed draft is shown.
INTAKE_RESUME_CHECK_TRIES = env.int("INTAKE_RESUME_CHECK_TRIES", default=5)
# An anonymous intake session stops showing answers after this long without a request.
INTAKE_IDLE_SECONDS = env.int("INTAKE_IDLE_SECONDS", default=30 * 60)
# Unsubmitted drafts (and their uploads) are deleted this long after their last change; the
# answers kept on a submitted draft, once the case holds them, sooner (intake.tasks).
INTAKE_DRAFT_RETENTION_DAYS = env.int("INTAKE_DRAFT_RETENTION_DAYS", default=30)
INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS = env.int("INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS", default=2)
# The client's secure link to the preparation questionnaire (intake:prepare): how long it
# works, how long its e-mailed one-time code works, and wrong tries before it is spent.
PREPARATION_LINK_DAYS = env.int("PREPARATION_LINK_DAYS", default=14)
PREPARATION_CODE_MINUTES = env.int("PREPARATION_CODE_MINUTES", default=15)
PREPARATION_CHECK_TRIES = env.int("PREPARATION_CHECK_TRIES", default=5)
# Per IP, as the intake's: the link's date-of-birth and code posts, and asking for a new link.
INTAKE_RATE_LIMITS.update({"prepare_check": "30/h", "prepare_new_link": "10/h"})
# The whole draft's answers, as stored JSON, and any one free-text answer.
INTAKE_DRAFT_MAX_BYTES = env.int("INTAKE_DRAFT_MAX_BYTES", default=1024 * 1024)
INTAKE_MAX_TEXT = 20_000
INTAKE_UPLOAD_MAX_BYTES = env.int("INTAKE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
INTAKE_UPLOAD_MAX_FILES = env.int("INTAKE_UPLOAD_MAX_FILES", default=20)
INTAKE_UPLOAD_MAX_TOTAL_BYTES = env.int("INTAKE_UPLOAD_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
# Checked from an image's header before decoding: 40 MP is a 7,300 x 5,500 scan, past any
# phone camera; a 13,000 x 13,000 PNG of one colour is 480 KB on disk and 640 MB decoded.
INTAKE_UPLOAD_MAX_PIXELS = env.int("INTAKE_UPLOAD_MAX_PIXELS", default=40_000_000)
INTAKE_CASE_REFERENCE_PREFIX = "AI"

# Asylum rules (8 CFR 208.7); a 2026 proposed rule would change these.
EAD_FILING_DAYS = env.int("EAD_FILING_DAYS", default=150)
EAD_GRANT_DAYS = env.int("EAD_GRANT_DAYS", default=180)

# Staff sign-in: axes first (refuses a locked-out username+IP), then the user table.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout for 30 minutes after 5 failures for one username from one IP address, 10 for one
# username from any addresses (guesses spread over many), or 20 from one address over any
# usernames (a spray); the same sign-in page and message whether or not the username exists
# (accounts.lockout). Safety over availability: 10 wrong guesses pause the real user too,
# from anywhere; an administrator lifts it early with `manage.py axes_reset_username`.
ACCOUNTS_LOCKOUT_LIMITS = [
    (["username", "ip_address"], env.int("LOCKOUT_PER_USERNAME_AND_IP", default=5)),
    (["username"], env.int("LOCKOUT_PER_USERNAME", default=10)),
    (["ip_address"], env.int("LOCKOUT_PER_IP", default=20)),
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5  # the scale the handler maps each limit onto
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [parameters for parameters, _ in ACCOUNTS_LOCKOUT_LIMITS]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
# The second factor (django-two-factor-auth on django-otp): an authenticator app, or a
# single-use recovery code. The admin is behind it through accounts.admin_site, not by
# two_factor patching every AdminSite.
OTP_TOTP_ISSUER = FIRM_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_PATCH_ADMIN = False
# Between the password and the code: at most this many seconds (two_factor's default).
TWO_FACTOR_LOGIN_TIMEOUT = 600
# Sessions: a new key after the password and after the second step; signed out after 30
# minutes idle or 12 hours in all, however active (accounts.middleware).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_MAX_AGE_SECONDS = env.int("SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "login"

# No secret link (calendar feed, resume, password reset) and no query string (a client's
# name searched for) in any log line or logged traceback (config.logsafety): on the console
# handler, and on django.request itself so every handler of its records (an error e-mail,
# a test's capture) sees the masked text too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "config.logsafety.MaskSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]}},
    "loggers": {"django.request": {"filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# Unused here but named so labels are extracted for translation.
_LANGUAGE_NAMES = (_("English"), _("Russian"), _("Ukrainian"), _("Spanish"))
