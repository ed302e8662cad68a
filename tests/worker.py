"""Real background parts for the tests: a Redis server of their own and a `celery worker`.

The worker is a separate process with the test settings, pointed at the test
database and the session's SMTP server, exactly as in production but smaller.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def broker_port() -> int:
    # From the settings, so two test runs can use two ports (CELERY_BROKER_URL in the env).
    return urlsplit(settings.CELERY_BROKER_URL).port or 6379


class RedisServer:
    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir, self.process = port, workdir, None

    def ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.exceptions.ConnectionError:
            return False

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(scope="session", autouse=True)
def broker(tmp_path_factory):
    """The tests' own Redis, the Celery broker of both the test process and the worker."""
    port = broker_port()
    server = RedisServer(port, tmp_path_factory.mktemp("redis"))
    if server.ping():  # one left behind by an interrupted run
        redis.Redis(port=port).shutdown(nosave=True)
        time.sleep(0.2)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, mail_server, broker,
                          tmp_path_factory):  # fmt: skip
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    # Files the worker writes (export jobs) where a test can point MEDIA_ROOT to read them.
    media_root = tmp_path_factory.mktemp("worker-media")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.port),
        "EMAIL_RETRY_BASE_SECONDS": "0.3",
        "EMAIL_SWEEP_GRACE_SECONDS": "0",
        "DJANGO_MEDIA_ROOT": str(media_root),
    }
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker",
             "--queues", "default,email", "--concurrency", "1", "--loglevel", "INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    from config.celery_app import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"celery worker did not start:\n{log.read_text()[-3000:]}")
    process.log = log
    process.media_root = media_root
    yield process
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def start_worker(queue: str, log: Path, **env) -> subprocess.Popen:
    """A celery worker of a test's own, on a queue of its own (the session's worker never
    takes its tasks), in a process group of its own so the test can kill it whole.
    `env`: settings through the environment (DJANGO_MEDIA_ROOT, EXPORT_TEST_PAUSE_SECONDS).
    Needs the test database (a django_db test) and the session's Redis (`broker`)."""
    database = connection.settings_dict["NAME"]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        **env,
    }
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "--queues",
             queue, "--concurrency", "1", "--loglevel", "INFO", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
