"""An attorney's override of the triage level is kept; staff see and resend e-mails."""

import pytest
from django.contrib.auth.models import User

from cases.services import case_override_priority, case_triage
from notifications.models import Email

from ..conftest import verified_login
from ..factories import CaseFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@firm.example", "x" * 16)
    verified_login(client, user)
    client.user = user
    return client


def test_a_later_assessment_keeps_the_attorneys_override(admin_client):
    case = CaseFactory()
    EntryFactory(client=case.client)
    case_triage(case=case)
    assert case.priority == "normal"
    case_override_priority(case=case, level="high", note="Brother detained yesterday",
                           by=admin_client.user)  # fmt: skip
    case.client.detained = True
    case.client.detention_facility = "Otay Mesa"
    case.client.save()
    case_triage(case=case)
    case.refresh_from_db()
    assert case.priority == "high"
    assert case.assessed_priority == "critical"
    assert case.priority_override_note == "Brother detained yesterday"
    assert case.priority_overridden_by == admin_client.user


def test_removing_the_override_returns_to_the_assessed_level(admin_client):
    case = CaseFactory(assessed_priority="critical", priority="critical")
    case_override_priority(case=case, level="normal", note="Released", by=admin_client.user)
    case_override_priority(case=case, level="", note="", by=admin_client.user)
    case.refresh_from_db()
    assert case.priority == "critical" and not case.priority_overridden


def test_the_case_page_asks_why_when_the_level_changes_and_the_admin_refuses_it(admin_client):
    """The level is changed on the case page (its service asks why and records it); the admin
    no longer changes a case at all, for the superuser neither."""
    case = CaseFactory()
    response = admin_client.post(f"/cases/{case.pk}/priority/",
                                 {"level": "critical", "note": "", "version": case.version})
    assert "Say why you change the level the triage gave." in response.content.decode()
    case.refresh_from_db()
    assert case.priority == "normal"
    response = admin_client.post(f"/admin/cases/case/{case.pk}/change/", {
        "priority": "critical", "priority_override_note": "because", "stage": "new",
    })  # fmt: skip
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.priority == "normal" and not case.priority_overridden


def test_staff_see_email_status_and_can_resend(admin_client):
    """The case's e-mails and how each went, in the admin and on the case page; sending again
    is the case page's (the admin's outbox is read-only)."""
    case = CaseFactory()
    email = Email.objects.create(
        case_id=case.pk, kind="confirmation", to="c@example.org", subject="s", body_text="b",
        status="failed", attempts=8, last_error="SMTPDataError: 451 Try again later",
    )  # fmt: skip
    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "SMTPDataError: 451 Try again later" in page
    admin_client.post(
        "/admin/notifications/email/", {"action": "resend", "_selected_action": [email.pk]}
    )
    email.refresh_from_db()
    assert email.status == "failed"
    response = admin_client.post(f"/cases/{case.pk}/emails/{email.pk}/resend/")
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "queued"
