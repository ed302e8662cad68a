"""Production settings pass Django's deploy check; pages carry the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_ALLOWED_HOSTS": "intake.firm.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # shared by every web process (rate limits)
    # Fresh keys of this run: the ones published with the code are refused (accounts.E001).
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "A_NUMBER_HASH_KEY": secrets.token_urlsafe(32),
}


def manage(*args, env):
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)  # fmt: skip


def test_the_deploy_check_passes_with_production_settings():
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_shared_cache_fails_the_check():
    """Each web process counting the intake's rate limits in its own memory would multiply
    them; django-ratelimit's check says so before the app starts."""
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    env.pop("CACHE_URL")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr


def test_production_refuses_to_start_without_its_secrets():
    """No default hides a missing secret: each one missing is an error at start-up."""
    for missing in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "A_NUMBER_HASH_KEY"):
        env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
        env.pop(missing)
        result = manage("check", env=env)
        assert result.returncode != 0
        assert missing in result.stderr


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers(client):
    response = client.get("/intake/step/consent/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_https_pages_get_hsts_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/intake/step/consent/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_loads_anything_from_another_origin():
    """Templates reference only our own static files: no CDN, no web fonts, no analytics."""
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for attribute in ('src="http', "src='http", 'href="http', "href='http", "@import"):
            assert attribute not in text.replace('href="{{', ""), template


# Known keys -----------------------------------------------------------------------------

KEY_NAMES = ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "A_NUMBER_HASH_KEY")


def published_keys() -> set[tuple[str, str]]:
    """(name, value) of every key that ships with the code: the settings' defaults and
    fixed values, docker-compose.yml's ${NAME:-default}s, the Dockerfile's build key."""
    import re

    found = set()
    settings_dir = ROOT / "config" / "settings"
    for path in settings_dir.glob("*.py"):
        text = path.read_text()
        for name in KEY_NAMES:
            for match in re.finditer(rf'env(?:\.list)?\(\s*"{name}",\s*default=\[?"([^"]+)"', text):
                found.add((name, match.group(1)))
        for match in re.finditer(r'^SECRET_KEY = "([^"]+)"', text, re.M):
            found.add(("DJANGO_SECRET_KEY", match.group(1)))
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-django"]["environment"]
    for name in KEY_NAMES:
        match = re.fullmatch(r"\$\{\w+:-(.+)\}", str(environment.get(name, "")))
        if match:
            found.add((name, match.group(1)))
    for match in re.finditer(r"DJANGO_SECRET_KEY=(\S+)", (ROOT / "Dockerfile").read_text()):
        found.add(("DJANGO_SECRET_KEY", match.group(1)))
    return found


def test_compose_publishes_no_default_key():
    environment = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["x-django"]
    for name in KEY_NAMES:
        assert ":-" not in str(environment["environment"][name]), name


def test_every_key_published_with_the_code_is_refused():
    from accounts.checks import KNOWN_KEYS

    published = published_keys()
    assert {name for name, _ in published} == set(KEY_NAMES)  # the search finds each kind
    # The settings' defaults and the Dockerfile's build-time key; compose carries none any more.
    assert len(published) >= 5
    assert {value for _, value in published} <= KNOWN_KEYS


@pytest.mark.parametrize(("name", "value"), sorted(published_keys()))
def test_production_refuses_to_start_with_a_published_key(name, value):
    """`check` (and so `migrate`, the compose web service's first command, and gunicorn's
    start, config/gunicorn.conf.py) stops on each key anyone can read in the repository."""
    if name == "FIELD_ENCRYPTION_KEYS":  # a known key anywhere in the list counts
        value = f"{Fernet.generate_key().decode()},{value}"
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
           name: value}  # fmt: skip
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr and name in result.stderr


# The defaults docker-compose.yml carried until it required an .env: a copy of the file or
# an .env made from it may still hold them.
FORMER_COMPOSE_KEYS = {
    "DJANGO_SECRET_KEY": "change-me-local-compose-only",
    "FIELD_ENCRYPTION_KEYS": "YkRTzjMwmTEUdAXlb8fhss5tNRqjAvKCndLhNTqsOO0=",
    "A_NUMBER_HASH_KEY": "change-me-local-compose-only",
}


def test_the_deploy_check_refuses_the_compose_files_former_keys():
    """What `docker-compose up` without an .env ran with, before compose required one."""
    result = manage("check", "--deploy", env={**os.environ, **PRODUCTION_ENV,
                                              **FORMER_COMPOSE_KEYS})  # fmt: skip
    assert result.returncode != 0
    assert all(f"{name} is a key published" in result.stderr for name in KEY_NAMES)


# Headers and cookies ----------------------------------------------------------------------

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/intake/step/consent/", "/staff/login/", "/no-such-page/"])
def test_every_response_carries_a_permissions_policy(client, path):
    policy = client.get(path)["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in policy.split(","))
    assert all(features[name] == "()" for name in DENIED_FEATURES)
    assert "interest-cohort" not in features  # gone from browsers; browsing-topics replaced it


def test_production_marks_the_language_cookie_secure():
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    result = manage("shell", "-c", "from django.conf import settings as s; print("
                    "s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
                    "s.LANGUAGE_COOKIE_SAMESITE)", env=env)  # fmt: skip
    assert result.stdout.split()[-3:] == ["True", "True", "Lax"], result.stdout + result.stderr


@pytest.mark.django_db
def test_the_language_switcher_sets_a_secure_httponly_cookie(client, settings):
    """As in production (LANGUAGE_COOKIE_SECURE): the client picks Russian on the intake."""
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/intake/"},
                           secure=True)  # fmt: skip
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
