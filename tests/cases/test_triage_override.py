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


def test_the_admin_asks_why_when_the_level_changes():
    from cases.admin import CaseAdmin
    from cases.models import Case

    case = CaseFactory()
    form_class = CaseAdmin(Case, None).get_form(request=None, obj=case, fields=[
        "priority", "priority_override_note", "stage",
    ])  # fmt: skip
    form = form_class(
        data={"priority": "critical", "priority_override_note": "", "stage": "new"},
        instance=case,
    )
    assert not form.is_valid()
    assert "priority_override_note" in form.errors


def test_staff_see_email_status_and_can_resend(admin_client):
    case = CaseFactory()
    email = Email.objects.create(
        case_id=case.pk, kind="confirmation", to="c@example.org", subject="s", body_text="b",
        status="failed", attempts=8, last_error="SMTPDataError: 451 Try again later",
    )  # fmt: skip
    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "SMTPDataError: 451 Try again later" in page
    response = admin_client.post(
        "/admin/notifications/email/", {"action": "resend", "_selected_action": [email.pk]}
    )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "queued"
