"""Submit-to-inbox latency: intakes submitted through the normal views, e-mails sent by
one real `celery worker` through Redis to a real SMTP server (aiosmtpd).

Run: .venv/bin/python bench/email_latency.py [--intakes 200]
Needs PostgreSQL on 127.0.0.1:5432 (database asylum_bench is created) and redis-server.
Prints p50/p95/max seconds from the submit POST to the triage alert's arrival.
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

DATABASE = "asylum_bench"
BROKER_PORT = 6398
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.test",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    CELERY_BROKER_URL=f"redis://127.0.0.1:{BROKER_PORT}/0",
)


def create_database():
    common.create_database(DATABASE)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def start_worker(smtp_port):
    """One real celery worker sending through the SMTP server on `smtp_port`, once it
    answers a ping."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "--queues",
         "default,email", "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
             "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)},
    )  # fmt: skip
    from config.celery_app import app

    while not app.control.ping(timeout=0.5):
        time.sleep(0.2)
    return worker


def submit_latencies(intakes, mailbox):
    """Seconds from each intake's submit POST to its triage alert in `mailbox` (30 s if the
    alert never came)."""
    from django.test import Client

    from tests.intake_data import answers

    latencies = []
    steps = answers()
    for _ in range(intakes):
        client = Client(SERVER_NAME="localhost")
        for slug, data in steps.items():
            client.post(f"/intake/step/{slug}/", {**data, "action": "next"})
        seen = len(mailbox.messages)
        started = time.monotonic()
        client.post("/intake/step/review/", {"action": "submit"})
        # One alert (nobody on duty: the fallback address) and one confirmation.
        deadline = started + 30
        while len(mailbox.messages) < seen + 2 and time.monotonic() < deadline:
            time.sleep(0.002)
        alerts = [
            at for message, at in zip(mailbox.messages[seen:], mailbox.arrived_at[seen:],
                                      strict=True)
            if message["Subject"].startswith("[")
        ]  # fmt: skip
        latencies.append((alerts[0] if alerts else deadline) - started)
    return latencies


def main(intakes: int):
    create_database()
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    from tests.mailserver import Mailbox, free_port
    from tests.worker import RedisServer

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    broker = RedisServer(BROKER_PORT, Path(tempfile.mkdtemp()))
    broker.start()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    worker = start_worker(smtp.port)
    try:
        latencies = submit_latencies(intakes, mailbox)
        print(f"intakes: {intakes}, one worker (prefork, concurrency 1)")
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        print(f"submit -> triage alert in the SMTP server: p50 {p50:.3f} s, "
              f"p95 {p95:.3f} s, max {max(latencies):.3f} s")
    finally:
        worker.terminate()
        worker.wait(20)
        smtp.stop()
        broker.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--intakes", type=int, default=200)
    main(parser.parse_args().intakes)
