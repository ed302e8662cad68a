"""A real SMTP server (aiosmtpd) on loopback for the whole test session."""

import email
import socket
import threading
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """Collects what the SMTP server receives; can refuse for a while, like a busy relay."""

    def __init__(self):
        self.messages = []
        self.arrived_at = []  # time.monotonic() of each message, for latency benchmarks
        self.refuse = 0
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=policy.default)
            )
            self.arrived_at.append(time.monotonic())
        return "250 OK"

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.arrived_at.clear()
            self.refuse = self.refused = 0

    def wait_for(self, count: int, timeout: float = 20) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} e-mails arrived, expected {count}")

    def wait(self, timeout: float = 20):
        return self.wait_for(1, timeout)[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mail_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp(mail_server, settings):
    """The session's SMTP server, emptied, with this process's Django mail pointed at it."""
    mail_server.clear()
    settings.OUTBOX_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.port
    yield mail_server
    mail_server.clear()


def deliver_outbox() -> int:
    """What the worker does with every e-mail queued so far (notifications.outbox.email_send),
    in the test process: for tests whose database transaction never commits."""
    from notifications.models import Email
    from notifications.outbox import email_send

    queued = Email.objects.filter(status="queued").order_by("pk").values_list("pk", flat=True)
    return sum(email_send(email_id=pk) for pk in list(queued))
