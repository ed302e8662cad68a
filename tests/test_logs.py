"""No secret link and no search term in the logs (issue 16, "partly open"): a 500 in the
calendar feed logs its traceback without the feed's token; the same masking on every path."""

import importlib
import io
import logging

import pytest
from django.test import Client

from cases import services
from config.logsafety import mask

deadlines_views = importlib.import_module("cases.views.deadlines")  # the module, not its view

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the console handler configured by settings.LOGGING writes (stderr in production,
    where gunicorn's error log collects it)."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_500_in_the_calendar_feed_logs_no_token(lawyer, monkeypatch, caplog, console):
    token = services.calendar_feed_issue(user=lawyer)

    def broken(*args, **kwargs):
        raise RuntimeError("the feed could not be built")

    monkeypatch.setattr(deadlines_views, "deadlines_calendar", broken)
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).get(f"/cases/calendar/{token}.ics")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert errors and errors[0].exc_info  # the traceback is logged, as it should be
    assert "RuntimeError: the feed could not be built" in caplog.text
    assert token not in caplog.text
    assert all(token not in r.getMessage() and token not in (r.exc_text or "")
               for r in caplog.records)  # fmt: skip
    written = console.getvalue()
    assert "Internal Server Error: /cases/calendar/[token].ics" in written
    assert "RuntimeError: the feed could not be built" in written
    assert token not in written


def test_a_wrong_feed_token_is_not_logged_either(caplog):
    with caplog.at_level(logging.INFO):
        assert Client().get("/cases/calendar/guessed-token-123.ics").status_code == 404
    assert "guessed-token-123" not in caplog.text


@pytest.mark.parametrize(("line", "masked"), [
    ('"GET /cases/calendar/abc_DEF-12.ics HTTP/1.1" 500',
     '"GET /cases/calendar/[token].ics HTTP/1.1" 500'),
    ("Error handling request /cases/?q=Politov&stage=new",
     "Error handling request /cases/?[query]"),
    ("GET /intake/resume/Zx9-_aa/ HTTP/1.1", "GET /intake/resume/[token]/ HTTP/1.1"),
    ("Not Found: /staff/reset/MQ/cz4k-0123abcd/", "Not Found: /staff/reset/MQ/[token]/"),
    ("Internal Server Error: /cases/12/", "Internal Server Error: /cases/12/"),
])  # fmt: skip
def test_what_is_masked(line, masked):
    assert mask(line) == masked
