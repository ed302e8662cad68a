"""The Django admin was a side door (issue 16, item 1): a paralegal closed and reassigned a
case there, a note was written in another user's name, an administrator read the whole story
and a superuser forged the stage history, none of it recorded. The admin is for
administrators only; case records are read-only there for everyone; narratives are behind
`cases.view_narrative` as in the app; every admin view and change is in the access log."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import RequestFactory

from accounts.admin_site import StaffAdminSite
from cases.models import (
    AsylumClaim,
    Case,
    CaseAccess,
    Court,
    Deadline,
    Note,
    StageChange,
)
from notifications.models import Email
from tests.conftest import browser_of

from ..factories import AsylumClaimFactory, CaseFactory, FamilyMemberFactory, member_of

pytestmark = pytest.mark.django_db

# Every claim field kept encrypted (the client's words, their translations, the military and
# minority details), each with a sentence nobody would type twice.
STORY = {
    name: f"Secret-{name}-the-officer-from-Tula-came-twice"
    for name in (
        "political_activity", "deployments", "minority_details", "past_harm", "feared_harm",
        "harmed_by", "reported_details", "evidence", "political_activity_en", "past_harm_en",
        "feared_harm_en", "harmed_by_en", "reported_details_en", "evidence_en",
    )
}  # fmt: skip
STORY["minority_details"] = "Secret-minority-Tula"  # max 200 characters


def staff_flagged(user: User) -> User:
    """Someone set is_staff by hand (as every demo user had it)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def administrator():
    return staff_flagged(member_of("sysadmin", "administrators"))


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", "root@firm.example", "x" * 16)


def change_form_data(case: Case, **changes) -> dict:
    """What the admin's change form of the case posts: every field as it is, then the
    attacker's changes, and an empty deadlines inline."""
    data = {key: value for key, value in model_to_dict(case).items() if value is not None}
    data["possible_duplicates"] = ",".join(str(c.pk) for c in data.get("possible_duplicates", []))
    data.update(changes)
    data.update({"deadlines-TOTAL_FORMS": "0", "deadlines-INITIAL_FORMS": "0",
                 "deadlines-MIN_NUM_FORMS": "0", "deadlines-MAX_NUM_FORMS": "1000"})  # fmt: skip
    return data


def untouched(case: Case) -> None:
    before = (case.stage, case.assigned_attorney_id, case.priority, case.version)
    case.refresh_from_db()
    assert (case.stage, case.assigned_attorney_id, case.priority, case.version) == before
    assert not StageChange.objects.filter(case=case).exists()


# Who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["staff", "attorneys"])
def test_a_paralegal_or_attorney_made_staff_gets_no_admin(group):
    """The reproduced attack: a paralegal (is_staff set by hand) moved a new case to closed and
    gave it another attorney in the admin. Now the admin is not theirs at all: 403 on every
    page, the POST goes nowhere, the case is as it was."""
    user = staff_flagged(member_of(f"someone-{group}", group))
    other = member_of("other-attorney", "attorneys")
    case = CaseFactory(stage="new")
    browser = browser_of(user)
    for path in ("/admin/", "/admin/cases/case/", f"/admin/cases/case/{case.pk}/change/"):
        response = browser.get(path, follow=True)
        assert response.status_code == 403, path
    response = browser.post(
        f"/admin/cases/case/{case.pk}/change/",
        change_form_data(case, stage="closed", assigned_attorney=other.pk),
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert browser.get(response["Location"]).status_code == 403
    untouched(case)
    response = browser.post("/admin/cases/note/add/",
                            {"case": case.pk, "author": other.pk, "text": "Client lied."})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Note.objects.exists()
    # The refusal is on record: who knocked, and where.
    refused = CaseAccess.objects.filter(user=user, action="admin_view", detail__refused=True)
    assert refused.exists()


def test_an_administrator_gets_in_and_a_verified_non_member_does_not(administrator):
    assert browser_of(administrator).get("/admin/").status_code == 200
    # is_staff alone, in no group: not an administrator.
    loner = staff_flagged(User.objects.create_user("loner", "l@firm.example", "x" * 16))
    assert browser_of(loner).get("/admin/", follow=True).status_code == 403


# Case records are read-only there, for the superuser too ----------------------------------

READ_ONLY = [
    "cases.case", "cases.client", "cases.familymember", "cases.entry", "cases.asylumclaim",
    "cases.document", "cases.deadline", "cases.note", "cases.stagechange", "cases.caseaccess",
    "cases.reminder", "cases.digestentry", "cases.savedfilter", "cases.notduplicate",
    "cases.staffsettings", "notifications.email", "intake.intakedraft",
]  # fmt: skip


def test_every_case_record_is_read_only_in_the_admin_even_for_a_superuser(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    registered = {model._meta.label_lower: model_admin
                  for model, model_admin in admin.site._registry.items()}  # fmt: skip
    for label in READ_ONLY:
        model_admin = registered[label]
        assert model_admin.has_view_permission(request), label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (label, inline)
            assert not inline.has_change_permission(request), (label, inline)
            assert not inline.has_delete_permission(request), (label, inline)
    # What the admin is still for: reference data and accounts.
    for label in ("cases.court", "auth.user", "auth.group"):
        assert registered[label].has_change_permission(request), label


def test_the_superuser_cannot_move_reassign_or_forge_the_trail(superuser, lawyer):
    """The superuser's POSTs that changed a case's stage and attorney, forged a stage change
    and wrote a note in another's name: all refused, nothing written."""
    case = CaseFactory(stage="new")
    browser = browser_of(superuser)
    response = browser.post(
        f"/admin/cases/case/{case.pk}/change/",
        change_form_data(case, stage="closed", assigned_attorney=lawyer.pk, priority="critical",
                         priority_override_note="because"),
    )  # fmt: skip
    assert response.status_code == 403
    untouched(case)
    response = browser.post("/admin/cases/stagechange/add/", {
        "case": case.pk, "from_stage": "new", "to_stage": "filed", "by": lawyer.pk,
        "reason": "",
    })  # fmt: skip
    assert response.status_code == 403
    assert not StageChange.objects.exists()
    response = browser.post("/admin/cases/note/add/",
                            {"case": case.pk, "author": lawyer.pk, "text": "Client lied."})
    assert response.status_code == 403
    assert not Note.objects.exists()
    deadline = Deadline.objects.create(case=case, kind="hearing", due_date="2027-01-05")
    response = browser.post(f"/admin/cases/deadline/{deadline.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Deadline.objects.filter(pk=deadline.pk).exists()
    access = CaseAccess.objects.filter(case=case).first()
    response = browser.post(f"/admin/cases/caseaccess/{access.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    # The stage history and the audit trail: no change form to post to.
    page = browser.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    assert 'name="stage"' not in page.content.decode()


def test_the_outbox_in_the_admin_shows_no_body_and_resends_nothing(administrator):
    """A password-reset e-mail waiting in the outbox holds the reset link until it is sent:
    the admin shows how each e-mail went, never what it says."""
    email = Email.objects.create(
        kind="other", to="lawyer@firm.example", subject="Password reset",
        body_text="Reset: https://firm.example/staff/reset/MQ/secret-reset-token-4242/",
        status="failed", keep_body=False,
    )  # fmt: skip
    browser = browser_of(administrator)
    page = browser.get(f"/admin/notifications/email/{email.pk}/change/")
    assert page.status_code == 200
    assert "secret-reset-token-4242" not in page.content.decode()
    browser.post("/admin/notifications/email/",
                 {"action": "resend", "_selected_action": [email.pk]})  # fmt: skip
    email.refresh_from_db()
    assert email.status == "failed"


# Narratives behind the same permission as in the app -------------------------------------


def story_pages(claim: AsylumClaim) -> list[str]:
    client = claim.client
    return [
        f"/admin/cases/asylumclaim/{claim.pk}/change/",
        "/admin/cases/asylumclaim/",
        "/admin/cases/asylumclaim/?q=Tula",
        f"/admin/cases/client/{client.pk}/change/",
        f"/admin/cases/case/{client.case.pk}/change/",
    ]


def test_an_administrator_without_the_narrative_permission_reads_no_story(administrator):
    case = CaseFactory()
    claim = AsylumClaimFactory(client=case.client, **STORY)
    FamilyMemberFactory(client=case.client)
    assert not administrator.has_perm("cases.view_narrative")
    browser = browser_of(administrator)
    for path in story_pages(claim):
        response = browser.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        leaked = [name for name, words in STORY.items() if words in page]
        assert leaked == [], path
    # What is not the story is still there for the administrator's work.
    page = browser.get(f"/admin/cases/asylumclaim/{claim.pk}/change/").content.decode()
    assert "Ground political opinion" in page


def test_the_story_shows_to_whoever_holds_the_permission(administrator):
    """Not hidden for its own sake: the same permission as on the case page opens it."""
    case = CaseFactory()
    claim = AsylumClaimFactory(client=case.client, **STORY)
    administrator.user_permissions.add(Permission.objects.get(codename="view_narrative"))
    administrator = User.objects.get(pk=administrator.pk)
    page = browser_of(administrator).get(
        f"/admin/cases/asylumclaim/{claim.pk}/change/"
    ).content.decode()
    assert all(words in page for words in STORY.values())


# Every admin view and change recorded ----------------------------------------------------


def test_every_admin_view_and_change_is_in_the_access_log(administrator):
    case = CaseFactory()
    claim = AsylumClaimFactory(client=case.client)
    note = Note.objects.create(case=case, author=member_of("n", "attorneys"), text="Call back")
    court = Court.objects.order_by("pk").first()
    browser = browser_of(administrator)

    def last():
        return CaseAccess.objects.filter(user=administrator).order_by("-pk").first()

    for path, model, case_of in (
        ("/admin/cases/case/", "cases.case", None),
        (f"/admin/cases/case/{case.pk}/change/", "cases.case", case),
        (f"/admin/cases/asylumclaim/{claim.pk}/change/", "cases.asylumclaim", case),
        (f"/admin/cases/client/{case.client.pk}/change/", "cases.client", case),
        (f"/admin/cases/note/{note.pk}/change/", "cases.note", case),
        ("/admin/cases/caseaccess/", "cases.caseaccess", None),
        (f"/admin/cases/court/{court.pk}/change/", "cases.court", None),
    ):
        assert browser.get(path).status_code == 200, path
        row = last()
        assert (row.action, row.case, row.detail["model"]) == ("admin_view", case_of, model), path
        assert row.detail["path"] == path

    browser.get("/admin/cases/case/?stage__exact=new")
    assert last().detail["query"] == {"stage__exact": "new"}

    data = {**model_to_dict(court), "city": "Otay Mesa"}
    response = browser.post(f"/admin/cases/court/{court.pk}/change/", data)
    assert response.status_code == 302
    court.refresh_from_db()
    assert court.city == "Otay Mesa"
    row = last()
    assert row.action == "admin_change" and row.detail["object"] == str(court.pk)
    assert "City" in row.detail["changes"][0]


def test_every_list_and_page_of_every_model_in_the_admin_is_recorded(superuser):
    """Not only the models we thought of: each one registered, its list and one of its pages."""
    case = CaseFactory()
    AsylumClaimFactory(client=case.client)
    browser = browser_of(superuser)
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        paths = [base]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(f"{base}{first.pk}/change/")
        for path in paths:
            before = CaseAccess.objects.order_by("-pk").values_list("pk", flat=True).first()
            assert browser.get(path).status_code == 200, path
            rows = CaseAccess.objects.filter(pk__gt=before or 0)
            assert [(r.action, r.detail["model"], r.detail["path"]) for r in rows] == [
                ("admin_view", label, path)
            ], path


def test_the_access_log_is_not_writable_from_the_admin(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    assert "admin.logentry" not in registered
    log_admin = registered["cases.caseaccess"]
    assert not (log_admin.has_add_permission(request) or log_admin.has_change_permission(request)
                or log_admin.has_delete_permission(request))  # fmt: skip


# The demo's accounts ---------------------------------------------------------------------


def test_only_the_demo_admin_is_staff_and_it_is_no_superuser():
    call_command("seed_demo", cases=0, stdout=io.StringIO())
    users = {u.username: u for u in User.objects.filter(username__in=["attorney", "paralegal",
                                                                     "admin"])}  # fmt: skip
    assert [name for name, u in users.items() if u.is_staff] == ["admin"]
    assert not any(u.is_superuser for u in users.values())
    demo_admin = users["admin"]
    assert demo_admin.groups.filter(name="administrators").exists()
    # The demo admin still does its jobs: the courts, the access log, the outbox.
    browser = browser_of(demo_admin)
    for path in ("/admin/", "/admin/cases/court/", "/admin/cases/caseaccess/",
                 "/admin/notifications/email/", "/admin/cases/court/add/"):  # fmt: skip
        assert browser.get(path).status_code == 200, path
    for name in ("attorney", "paralegal"):
        assert browser_of(users[name]).get("/admin/", follow=True).status_code == 403, name


def test_a_change_whose_record_cannot_be_written_is_not_made(administrator):
    """The change and its row in the access log commit together, or neither does."""
    court = Court.objects.order_by("pk").first()
    city = court.city

    def broken(request, **kwargs):
        raise RuntimeError("the access log is down")

    # Set and put back by hand: monkeypatch restores None on the admin's lazy site object.
    original, admin.site.access_recorder = admin.site.access_recorder, broken
    browser = browser_of(administrator)
    try:
        with pytest.raises(RuntimeError):
            browser.post(f"/admin/cases/court/{court.pk}/change/",
                         {**model_to_dict(court), "city": "Otay Mesa"})  # fmt: skip
    finally:
        admin.site.access_recorder = original
    court.refresh_from_db()
    assert court.city == city


def test_an_admin_with_no_access_recorder_does_not_open(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    request.user.is_verified = lambda: True
    view = StaffAdminSite(name="unrecorded").admin_view(lambda request: None)
    with pytest.raises(ImproperlyConfigured):
        view(request)
