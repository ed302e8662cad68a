"""The Django admin behind the second factor: signed in only through the staff sign-in."""

import pytest
from django.test import Client

from tests.conftest import verified_login

from .helpers import LOGIN, PASSWORD, app_of, at_code_step, code_of, sign_in, type_code

pytestmark = pytest.mark.django_db


def test_the_admin_sign_in_goes_through_the_staff_sign_in():
    response = Client().get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/auth/user/"
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1] == (f"{LOGIN}?next=/admin/", 302)


def test_the_admin_needs_the_password_and_the_code(boss):
    """An administrator with an authenticator reaches the admin only after the code: the
    password alone signs nobody in, and the admin sends them back to the sign-in."""
    device = app_of(boss)
    browser = Client()
    response = sign_in(browser, "boss", next_url="/admin/")
    assert at_code_step(response)
    assert "_auth_user_id" not in browser.session
    chain = browser.get("/admin/", follow=True).redirect_chain
    assert chain[-1] == (f"{LOGIN}?next=/admin/", 302)
    sign_in(browser, "boss", next_url="/admin/")
    response = type_code(browser, code_of(device), next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    assert browser.get("/admin/auth/user/").status_code == 200


def test_the_admins_own_password_form_signs_nobody_in(boss):
    """A POST of the password to the admin's login page does not sign in (no way round the
    lockout and the second factor)."""
    app_of(boss)
    browser = Client()
    response = browser.post("/admin/login/?next=/admin/",
                            {"username": "boss", "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/admin/").status_code == 302


def test_a_session_with_the_password_alone_is_not_let_into_the_admin(boss):
    """Signed in before the app was set up (or by a path that skipped the code): the admin
    asks for the second factor, like every staff page."""
    app_of(boss)
    browser = Client()
    browser.force_login(boss)
    for path in ("/admin/", "/admin/auth/user/", "/admin/accounts/appdevice/"):
        response = browser.get(path, follow=True)
        assert response.redirect_chain[-1] == (f"{LOGIN}?next={path}", 302), path
        assert response.status_code == 200 and b"auth-password" in response.content


def test_a_verified_user_who_is_no_administrator_is_refused(lawyer):
    """Both steps done, but not staff in Django's sense: 403, not a loop through sign-in."""
    browser = Client()
    verified_login(browser, lawyer)
    response = browser.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]


def test_a_verified_administrator_on_the_admin_login_page_goes_on(boss):
    browser = Client()
    verified_login(browser, boss)
    response = browser.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302 and response["Location"] == "/admin/auth/user/"
    response = browser.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/admin/"
