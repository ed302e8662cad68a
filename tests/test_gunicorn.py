"""gunicorn as the web service runs it (config/gunicorn.conf.py): the access log has paths
without their query strings, so the names staff search for stay out of it, and no secret
link; and gunicorn refuses to start with a key published with the code."""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.mailserver import free_port

from .test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--config", "config/gunicorn.conf.py", "--workers", "1"]  # fmt: skip


def environment(**extra) -> dict:
    env = {**os.environ, **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn(transactional_db, django_db_blocker, tmp_path):
    """gunicorn on a free port with the test settings, on the test database; its output
    (error log and access log, as docker-compose collects them) in one file."""
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    port = free_port()
    env = environment(DJANGO_SETTINGS_MODULE="config.settings.test",
                      DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}")  # fmt: skip
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}"], cwd=ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(f"{url}/staff/login/")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.2)
    yield url, log
    process.terminate()
    process.wait(20)


def test_a_search_leaves_no_name_in_the_access_log(gunicorn):
    url, log = gunicorn
    # Each goes on to the sign-in page, its ?next= carrying the search along.
    assert get(f"{url}/cases/?q=Politov&nationality=RU") == 200, log.read_text()[-3000:]
    assert get(f"{url}/cases/export/?q=%D0%9F%D0%BE%D0%BB%D0%B8%D1%82%D0%BE%D0%B2") == 200
    assert get(f"{url}/cases/calendar/SeCrEt-feed-token-42.ics?q=Politov") == 404
    time.sleep(0.5)  # the access log is written after the response
    written = log.read_text()
    assert '"GET /cases/ HTTP/1.1" 302' in written  # the request is logged, its path only
    assert '"GET /staff/login/ HTTP/1.1" 200' in written
    assert '"GET /cases/calendar/[token].ics HTTP/1.1" 404' in written
    assert "Politov" not in written and "%D0%9F" not in written and "Политов" not in written
    assert "SeCrEt-feed-token-42" not in written
    assert "nationality" not in written


def test_gunicorn_refuses_to_start_with_a_published_key(tmp_path):
    """Production settings with docker-compose.yml's default secret key: gunicorn stops
    before it serves anything (accounts.E001, from its on_starting hook)."""
    env = environment(**PRODUCTION_ENV, DJANGO_SECRET_KEY="change-me-local-compose-only")
    port = free_port()
    result = subprocess.run([*GUNICORN, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "accounts.E001" in result.stdout + result.stderr
    fresh = {**env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    # The same command with a key of its own gets as far as serving (stopped at once).
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}"], cwd=ROOT,
                               env=fresh, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                get(f"http://127.0.0.1:{port}/staff/login/")
                break
            except OSError:
                time.sleep(0.2)
        assert process.poll() is None, process.stdout.read()
    finally:
        process.terminate()
        process.wait(20)


def test_the_web_service_runs_gunicorn_with_this_config():
    """docker-compose.yml's web service and the image's default command both use it (the
    bind address and worker count are its defaults there)."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = " ".join(compose["services"]["web"]["command"])
    assert "gunicorn config.wsgi:application --config config/gunicorn.conf.py" in web
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"' in (
        dockerfile)
