import pytest

from .helpers import staff_member


@pytest.fixture
def lawyer():
    return staff_member("lawyer", "attorneys")


@pytest.fixture
def paralegal():
    return staff_member("paralegal", "staff")


@pytest.fixture
def boss():
    from django.contrib.auth.models import User

    from .helpers import PASSWORD

    return User.objects.create_superuser("boss", "boss@firm.example", PASSWORD)


@pytest.fixture
def queued(monkeypatch):
    """The password-reset tasks a request hands to the broker, kept here (no worker) for the
    test to run with run(queued)."""
    from accounts import tasks

    calls = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *a, **k: calls.append(a))
    return calls


def run(calls) -> None:
    """What the worker does with the queued reset tasks."""
    from accounts import tasks

    for args in calls:
        tasks.send_password_reset(*args)
    calls.clear()
