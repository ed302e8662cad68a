"""Staff pages: never kept by a browser or proxy, and a client's markup shown as text.
(Sign-in, second factor, lockout and sessions: tests/accounts/.)"""

import pytest
from django.test import Client

from cases.emails import triage_context
from notifications.rendering import email_render

from ..conftest import verified_login
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("boss", "boss@firm.example", "a long staff password 42")


# Pages ---------------------------------------------------------------------------------


def test_staff_pages_are_never_cached(boss):
    case = CaseFactory()
    browser = Client()
    verified_login(browser, boss)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/deadlines/",
                 "/cases/export/?format=csv", "/admin/"):  # fmt: skip
        response = browser.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        if response.streaming:
            b"".join(response.streaming_content)


MARKUP = '<script>alert("x")</script>'
IMAGE = "<img src=x onerror=alert(1)>"


def test_markup_in_names_and_stories_is_shown_as_text(lawyer):
    """A client's name or story full of markup is text on the staff pages and in e-mails."""
    case = CaseFactory(client=ClientFactory(given_names=MARKUP, family_name=IMAGE,
                                            email="client@example.org"))  # fmt: skip
    EntryFactory(client=case.client)
    AsylumClaimFactory(client=case.client, feared_harm=f"They said {MARKUP} and {IMAGE}.")
    browser = Client()
    verified_login(browser, lawyer)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/?q=alert"):
        page = browser.get(path).content.decode()
        assert MARKUP not in page and IMAGE not in page, path
        assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page, path
    _subject, text, html = email_render("cases/emails/triage", triage_context(case))
    assert MARKUP not in html and IMAGE not in html
    assert "&lt;script&gt;" in html
    assert "They said" not in text and "They said" not in html  # no story in e-mail
