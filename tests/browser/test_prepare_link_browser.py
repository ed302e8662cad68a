"""The client's secure link in a real Chromium on a phone: the e-mailed link, the date of
birth, the e-mailed code (both sent by the real worker through the outbox to a real SMTP
server), the client's page in Ukrainian and an upload, with nothing from another origin."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cases.models import DocumentRequest
from cases.preparation_links import preparation_link_send

from ..documents import pdf_bytes
from ..factories import CaseFactory, member_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_client_opens_the_link_on_a_phone_and_uploads_what_was_asked(
    phone, smtp, celery_worker_process, live_server, tmp_path
):
    lawyer = member_of("lawyer", "attorneys")
    case = CaseFactory(stage="retained", assigned_attorney=lawyer,
                       client__email="oliynyk@example.org", client__preferred_language="uk",
                       client__family_name="Oliynyk",
                       client__family_name_native="Олійник")  # fmt: skip
    passport = DocumentRequest.objects.create(case=case, kind="passport", requested_by=lawyer,
                                              note="усі сторінки")  # fmt: skip
    preparation_link_send(case=case, by=lawyer)
    link = re.search(r"https?://\S+/intake/prepare/\S+/", body_of(smtp.wait())).group(0)
    assert link.startswith(settings.SITE_URL)
    page, requests = phone(locale="en-US")  # the link brings the client's own language
    page.goto(live_server.url + urlsplit(link).path)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert "Олійник" not in page.content() and case.reference not in page.content()

    page.fill("#id_date_of_birth", "1990-05-18")  # a slip of the finger first
    page.click("main form button[value=birth]")
    expect(page.locator("#id_date_of_birth_error")).to_contain_text("Залишилося спроб: 4")
    page.fill("#id_date_of_birth", "1990-05-17")
    page.click("main form button[value=birth]")
    expect(page.locator("#code-sent")).to_contain_text("o***@example.org")
    code = re.search(r"(?<!\d)\d{6}(?!\d)", body_of(smtp.wait_for(2)[-1])).group(0)
    page.fill("#id_code", code)
    page.click("main form button[value=code]")

    expect(page.locator("#reference")).to_have_text(case.reference)
    expect(page.locator("#stage-words")).to_contain_text("Тепер ми ваші юристи")
    expect(page.locator(f"#request-{passport.pk}")).to_contain_text("усі сторінки")
    scan = tmp_path / "pasport.pdf"
    scan.write_bytes(pdf_bytes())
    page.set_input_files(f"#id_r{passport.pk}-file", str(scan))
    page.click(f"#request-{passport.pk} button[type=submit]")
    expect(page.locator("main [role=status]").first).to_contain_text("Дякуємо")
    expect(page.locator("#received")).to_contain_text("Паспорт")
    passport.refresh_from_db()
    assert passport.fulfilled_at is not None
    # Fits a phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert requests.foreign(live_server.url) == []
