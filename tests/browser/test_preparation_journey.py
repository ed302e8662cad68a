"""From a retained client to a complete I-589 data sheet, in two real Chromiums, the client's
on a phone in Ukrainian: the attorney asks for two documents and sends the secure link from
the case page; the real worker e-mails it (and the one-time code) through a real SMTP server;
the client opens it in a fresh browser, passes the second check, answers the questionnaire
(two addresses, one job, a spouse) and uploads both documents; the attorney sees readiness
complete and downloads the data sheet, whose PDF text holds the items and the values."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import CaseAccess, DocumentRequest, Employment, Residence

from ..documents import jpeg_bytes, pdf_bytes
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory, EntryFactory
from .test_staff_browser import sign_in, user_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def answer(page, answers: dict) -> None:
    """Types each answer into the field of that name, as the field takes it."""
    for name, value in answers.items():
        field = page.locator(f"[name='{name}']")
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            field.select_option(value)
        elif kind == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(value)


def next_step(page, slug: str) -> None:
    page.click("form button[value=next].btn-primary")
    page.wait_for_url(re.compile(f"/prepare/questions/{slug}/$"))


def retained_client():
    """A Ukrainian who came through San Ysidro two months ago with his wife, retained."""
    arrived = timezone.localdate() - datetime.timedelta(days=60)
    client = ClientFactory(
        family_name="Kovalenko", given_names="Taras", family_name_native="Коваленко",
        given_names_native="Тарас", date_of_birth=datetime.date(1988, 4, 9),
        marital_status="married", nationality="UA", country_of_birth="UA",
        preferred_language="uk", email="kovalenko@example.org",
        left_country_on=arrived - datetime.timedelta(days=20),
    )  # fmt: skip
    AsylumClaimFactory(client=client)
    EntryFactory(client=client, date=arrived, place="San Ysidro", manner="cbp_one")
    return CaseFactory(client=client, stage="retained"), arrived


def test_from_a_retained_client_to_the_i589_data_sheet(
    chromium, phone, smtp, celery_worker_process, live_server, tmp_path
):
    lawyer = user_in("attorneys", "lawyer")
    case, arrived = retained_client()
    case.assigned_attorney = lawyer
    case.save(update_fields=["assigned_attorney"])
    origin = live_server.url

    # The attorney asks for two documents and sends the link from the case page.
    office = chromium.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True)  # fmt: skip
    desk = office.new_page()
    sign_in(desk, origin, "lawyer")
    desk.goto(f"{origin}{case.get_absolute_url()}")
    desk.locator("#preparation summary").click()
    desk.get_by_label("Passport", exact=True).check()
    desk.get_by_label("Note for the client: Passport").fill("усі сторінки")
    desk.get_by_label("Marriage certificate", exact=True).check()
    desk.click("#document-request-form button[type=submit]")
    expect(desk.locator("#document-requests")).to_contain_text("Marriage certificate")
    desk.click("#preparation-link-form button[type=submit]")
    expect(desk.locator("#preparation-links")).to_contain_text("Sent")
    passport, marriage = DocumentRequest.objects.filter(case=case).order_by("kind")[::-1]
    assert (passport.kind, marriage.kind) == ("passport", "marriage")

    mail = smtp.wait()
    assert "Kovalenko" not in mail["Subject"] and "Коваленко" not in mail["Subject"]
    link = re.search(r"https?://\S+/intake/prepare/\S+/", body_of(mail)).group(0)

    # The client opens it in a fresh browser on a phone: date of birth, then the code.
    page, log = phone(locale="uk-UA")
    page.goto(origin + urlsplit(link).path)
    page.fill("#id_date_of_birth", "1988-04-09")
    page.click("main form button[value=birth]")
    expect(page.locator("#code-sent")).to_contain_text("k***@example.org")
    code = re.search(r"(?<!\d)\d{6}(?!\d)", body_of(smtp.wait_for(2)[-1])).group(0)
    page.fill("#id_code", code)
    page.click("main form button[value=code]")
    expect(page.locator("#reference")).to_have_text(case.reference)

    # The questionnaire: what the intake knew is there to confirm.
    page.click("#questions")
    page.wait_for_url(re.compile("/prepare/questions/about/$"))
    assert page.input_value("[name='about-given_names_native']") == "Тарас"
    answer(page, {
        "about-city_of_birth": "Kharkiv", "about-nationality_at_birth": "UA",
        "about-ethnicity": "Ukrainian", "about-religion": "Orthodox Christian",
        "about-passport_country": "UA", "about-passport_number": "FA123456",
        "about-passport_expires_on": "2031-05-01", "about-i94_number": "123456789A1",
        "about-status_when_admitted": "Parole", "about-native_language": "Ukrainian",
        "about-fluent_in_english": "false",
    })  # fmt: skip
    next_step(page, "family")

    # His wife, who came with him: her A.II details, and the marriage (he is married).
    if page.locator("[name='family-0-relationship']").count() == 0:
        page.click("#add-family")
        page.wait_for_load_state()
    answer(page, {
        "family-0-relationship": "spouse", "family-0-family_name": "Kovalenko",
        "family-0-given_names": "Oksana", "family-0-name_native": "Оксана Коваленко",
        "family-0-date_of_birth": "1990-11-23", "family-0-city_of_birth": "Poltava",
        "family-0-country_of_birth": "UA", "family-0-sex": "female",
        "family-0-nationality": "UA", "family-0-marital_status": "married",
        "family-0-in_united_states": True, "family-0-passport_number": "FA654321",
        "family-0-marriage_date": "2014-06-14", "family-0-marriage_place": "Kharkiv, Ukraine",
        "family-0-last_entry_date": arrived.isoformat(),
        "family-0-last_entry_place": "San Ysidro", "family-0-current_status": "Parole",
        "family-0-in_immigration_court": "false", "family-0-current_location": "San Diego",
        "family-0-ethnicity": "Ukrainian",
    })  # fmt: skip
    # And his mother, still in Kharkiv (Part A.III asks for parents and siblings).
    page.click("#add-family")
    page.wait_for_load_state()
    answer(page, {
        "family-1-relationship": "parent", "family-1-family_name": "Kovalenko",
        "family-1-given_names": "Halyna", "family-1-name_native": "Галина Коваленко",
        "family-1-city_of_birth": "Kharkiv", "family-1-country_of_birth": "UA",
        "family-1-current_location": "Kharkiv, Ukraine",
    })  # fmt: skip
    next_step(page, "residences")

    # Two addresses of the past five years: a row added with the page's own button.
    answer(page, {"last-street": "vul. Sumska 10", "last-city": "Kharkiv",
                  "last-country": "UA", "last-from_on": "2016-03",
                  "last-to_on": (arrived - datetime.timedelta(days=20)).strftime("%Y-%m")})
    while page.locator("[name='lived-1-city']").count() == 0:
        page.click("#add-lived")
        page.wait_for_load_state()
    answer(page, {
        "lived-0-street": "1200 Main St", "lived-0-city": "San Diego", "lived-0-country": "US",
        "lived-0-from_on": arrived.strftime("%Y-%m"),
        "lived-1-street": "vul. Sumska 10", "lived-1-city": "Kharkiv", "lived-1-country": "UA",
        "lived-1-from_on": "2016-03",
        "lived-1-to_on": (arrived - datetime.timedelta(days=20)).strftime("%Y-%m"),
    })  # fmt: skip
    next_step(page, "history")

    # One job; a school too, since the form asks for every school.
    while page.locator("[name='jobs-0-employer']").count() == 0:
        page.click("#add-jobs")
        page.wait_for_load_state()
    while page.locator("[name='schools-0-name']").count() == 0:
        page.click("#add-schools")
        page.wait_for_load_state()
    answer(page, {
        "jobs-0-employer": "Kharkiv Tractor Plant", "jobs-0-address": "Kharkiv, Ukraine",
        "jobs-0-occupation": "Welder", "jobs-0-from_on": "2012-09",
        "jobs-0-to_on": (arrived - datetime.timedelta(days=20)).strftime("%Y-%m"),
        "schools-0-name": "Kharkiv Polytechnic College", "schools-0-school_type": "vocational",
        "schools-0-location": "Kharkiv, Ukraine", "schools-0-from_on": "2004-09",
        "schools-0-to_on": "2008-06",
    })  # fmt: skip
    next_step(page, "entries")
    assert page.input_value("[name='entries-0-place']") == "San Ysidro"  # confirmed as typed
    next_step(page, "questions")

    answer(page, {f"questions-{name}": "no" for name in (
        "arrested_abroad", "organisations", "organisations_continued", "fears_torture",
        "family_applied_before", "other_country_travel", "other_country_status",
        "harmed_others", "returned_since_leaving", "us_crimes")})  # fmt: skip
    next_step(page, "review")
    page.click("form button[value=send]")
    expect(page.locator("#prepare-sent")).to_be_visible()

    # Back on the client's page: both documents uploaded.
    page.click("#back-home")
    for document_request, content, name in ((passport, pdf_bytes(), "pasport.pdf"),
                                            (marriage, jpeg_bytes(), "svidotstvo.jpg")):
        scan = tmp_path / name
        scan.write_bytes(content)
        page.set_input_files(f"#id_r{document_request.pk}-file", str(scan))
        page.click(f"#request-{document_request.pk} button[type=submit]")
        expect(page.locator(f"#request-{document_request.pk}")).to_have_count(0)
    expect(page.locator("#received")).to_contain_text("Паспорт")
    expect(page.locator("#received")).to_contain_text("Свідоцтво про шлюб")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert log.foreign(origin) == []

    # What the records now hold, without anyone re-typing it.
    assert Residence.objects.filter(client=case.client, kind="five_years").count() == 2
    assert Employment.objects.filter(client=case.client).count() == 1
    spouse = case.client.family.get(relationship="spouse")
    assert spouse.marriage_date == datetime.date(2014, 6, 14)
    assert not DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True).exists()

    # The attorney: readiness complete, then the data sheet's PDF.
    desk.goto(f"{origin}{case.get_absolute_url()}")
    expect(desk.locator("#i589-panel")).to_contain_text("Ready")
    expect(desk.locator("#document-requests")).not_to_contain_text("waiting")
    with desk.expect_download() as download:
        desk.locator("#i589-panel a", has_text="PDF").click()
    path = tmp_path / "i589.pdf"
    download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    for expected in ("Part A.I, item 4", "Kovalenko (Коваленко)", "Part A.I, item 14",
                     "Ukraine", "Kharkiv", "04/09/1988", "Part A.II", "Oksana",
                     "06/14/2014", "Part A.III", "San Diego", "Kharkiv Tractor Plant",
                     "Welder", "Halyna"):
        assert expected in text, expected
    assert CaseAccess.objects.filter(case=case, action="i589", detail__format="pdf").exists()
    assert CaseAccess.objects.filter(case=case, action="client_prepared").exists()
    office.close()
