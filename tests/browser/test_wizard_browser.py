"""The intake wizard in a real Chromium on a phone-sized screen."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cases.models import Case, Court

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

NEXT = "form button[value=next].btn-primary"


def fill_about(page):
    page.fill("#id_about-family_name", "Politov")
    page.fill("#id_about-given_names", "Dmitry")
    page.fill("#id_about-family_name_native", "Политов")
    page.fill("#id_about-given_names_native", "Дмитрий")
    page.fill("#id_about-date_of_birth", "1990-05-17")
    page.select_option("#id_about-sex", "male")
    page.select_option("#id_about-marital_status", "married")
    page.select_option("#id_about-nationality", "RU")
    page.select_option("#id_about-country_of_birth", "RU")
    page.fill("#id_about-languages", "русский")
    page.fill("#id_about-email", "dmitry@example.org")
    page.fill("#id_about-phone", "+7 916 123-45-67")
    page.select_option("#id_about-preferred_contact", "email")


def fill_arrival(page, hearing: date):
    page.fill("#id_entries-0-date", "2026-03-02")
    page.fill("#id_entries-0-place", "Сан-Исидро")
    page.select_option("#id_entries-0-manner", "cbp_one")
    page.fill("#id_status-left_country_on", "2022-09-28")  # a week after the decree
    # Questions that do not apply stay out of the way until they do.
    page.select_option("#id_status-current_status", "visitor")
    assert page.is_hidden("#id_status-status_ends_on")
    page.select_option("#id_status-current_status", "parole")
    page.fill("#id_status-status_ends_on", (date.today() + timedelta(days=300)).isoformat())
    assert page.is_hidden("#id_status-detention_facility")
    assert page.is_hidden("#id_status-next_hearing_date")
    assert page.is_hidden("#id_status-next_ice_check_in")
    page.check("#id_status-ice_check_ins")
    page.fill("#id_status-next_ice_check_in", (date.today() + timedelta(days=9)).isoformat())
    page.check("#id_status-in_removal_proceedings")
    page.fill("#id_status-next_hearing_date", hearing.isoformat())
    court = Court.objects.get(name__startswith="San Diego")
    page.select_option("#id_status-hearing_court", str(court.pk))


def add_family_member(page, index, relationship, given, native, born, marital):
    page.click("#add-family")
    page.select_option(f"#id_family-{index}-relationship", relationship)
    page.fill(f"#id_family-{index}-family_name", "Politova")
    page.fill(f"#id_family-{index}-given_names", given)
    page.fill(f"#id_family-{index}-name_native", native)
    page.fill(f"#id_family-{index}-date_of_birth", born)
    page.select_option(f"#id_family-{index}-marital_status", marital)
    page.check(f"#id_family-{index}-in_united_states")  # they came with him


def fill_claim(page):
    page.check("#id_claim-ground_political_opinion")
    assert page.is_hidden("#id_claim-notice_received_on")
    page.check("#id_claim-mobilisation_notice")
    page.fill("#id_claim-notice_received_on", "2022-09-24")
    page.select_option("#id_claim-notice_served", "relatives")
    page.check("#id_claim-conscientious_objector")
    page.check("#id_claim-objection_this_war")
    page.check("#id_claim-relatives_approached")
    page.fill("#id_claim-past_harm", "Меня задержали на антивоенном митинге в 2022 году.")
    page.fill("#id_claim-feared_harm", "Меня мобилизуют и отправят на войну.")


def save_and_read_the_link(page, smtp, live_server) -> str:
    """Save for later and read the link in the e-mail the worker sent."""
    page.click("form button[value=save]")
    assert page.input_value("#id_email") == "dmitry@example.org"
    page.click("main form button[type=submit]")
    expect(page.locator("main [role=status]")).to_be_visible()
    message = smtp.wait()
    assert message["To"] == "dmitry@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/intake/resume/\S+/", text).group(0)
    assert "Политов" not in link and "dmitry" not in link
    assert link.startswith(settings.SITE_URL)  # never the request's Host
    return live_server.url + urlsplit(link).path  # this test's server stands in for SITE_URL


def assert_every_russian_answer_kept(case):
    client = case.client
    assert (client.given_names_native, client.family_name_native) == ("Дмитрий", "Политов")
    assert str(client.phone) == "+79161234567"
    assert client.entries.get().place == "Сан-Исидро"
    assert sorted(client.family.values_list("name_native", flat=True)) == [
        "Анна Политова", "Елена Политова",
    ]
    assert client.claim.feared_harm == "Меня мобилизуют и отправят на войну."
    assert client.claim.mobilisation_notice
    assert case.deadlines.filter(kind="one_year").exists()
    assert (client.marital_status, client.left_country_on) == ("married", date(2022, 9, 28))
    assert client.status_ends_on == date.today() + timedelta(days=300)
    assert case.deadlines.get(kind="ice_check_in").due_date == date.today() + timedelta(days=9)
    claim = client.claim
    assert (claim.notice_received_on, claim.notice_served) == (date(2022, 9, 24), "relatives")
    assert claim.objection_this_war and claim.relatives_approached


def test_whole_wizard_in_russian_with_save_and_resume(phone, smtp, celery_worker_process,
                                                      live_server):  # fmt: skip
    """A Russian speaker on a phone fills every step, saves, resumes from the e-mail (sent by
    the worker through the outbox), submits."""
    page, requests = phone(locale="ru-RU")
    page.goto(f"{live_server.url}/intake/")
    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.locator("#progress-label")).to_contain_text("Шаг 1 из 7")

    page.check("#id_consent-consent")
    page.check("#id_consent-no_relationship_yet")
    page.click(NEXT)
    expect(page.locator("#progress-label")).to_contain_text("Шаг 2 из 7")
    fill_about(page)
    page.click(NEXT)
    fill_arrival(page, date.today() + timedelta(days=30))
    page.click(NEXT)
    expect(page.locator("#progress-label")).to_contain_text("Шаг 4 из 7")
    add_family_member(page, 0, "spouse", "Elena", "Елена Политова", "1992-08-01", "married")
    child_born = date.today().replace(year=date.today().year - 21) + timedelta(days=60)
    add_family_member(page, 1, "child", "Anna", "Анна Политова", child_born.isoformat(), "single")

    # Save and finish later; the link arrives by e-mail.
    link = save_and_read_the_link(page, smtp, live_server)

    # Another device: a new browser context with none of the first one's cookies.
    page2, requests2 = phone(locale="ru-RU")
    page2.goto(link)
    # Nothing of the draft shows on a new device before its date of birth is given.
    assert "Политов" not in page2.inner_text("main")
    page2.fill("#id_date_of_birth", "1990-05-17")
    page2.click("main form button[type=submit]")
    expect(page2.locator("#progress-label")).to_contain_text("Шаг 5 из 7")
    # The first device is cut off: it no longer reads what is typed on the second.
    page.goto(f"{live_server.url}/intake/step/family/")
    assert "Политов" not in page.inner_text("main") and "Elena" not in page.content()
    fill_claim(page2)
    page2.click(NEXT)
    expect(page2.locator("#progress-label")).to_contain_text("Шаг 6 из 7")
    assert page2.locator("#upload-limits").is_visible()
    page2.click(NEXT)
    expect(page2.locator("#progress-label")).to_contain_text("Шаг 7 из 7")
    review = page2.inner_text("main")
    assert "Дмитрий" in review and "Елена Политова" in review
    assert page2.locator(".derivative").count() == 2
    assert page2.locator(".turns-21").count() == 1
    page2.click("button[value=submit]")
    reference = page2.inner_text("#reference")
    assert re.fullmatch(r"AI-\d{4}-\d{6}", reference)

    assert_every_russian_answer_kept(Case.objects.get(reference=reference))
    for log in (requests, requests2):
        assert log.foreign(live_server.url) == []


@pytest.mark.parametrize(
    ("locale", "step_text", "thanks"),
    [
        ("en-US", "Step 1 of 7", "Thank you"),
        ("uk-UA", "Крок 1 з 7", "Дякуємо"),
        ("es-MX", "Paso 1 de 7", "Gracias"),
    ],
)
def test_wizard_end_to_end_in_each_language(phone, live_server, locale, step_text, thanks):
    """The browser's language picks the wizard's, and every step works in it."""
    page, requests = phone(locale=locale)
    page.goto(f"{live_server.url}/intake/")
    expect(page.locator("#progress-label")).to_contain_text(step_text)
    page.check("#id_consent-consent")
    page.check("#id_consent-no_relationship_yet")
    page.click(NEXT)
    fill_about(page)
    page.click(NEXT)
    fill_arrival(page, date.today() + timedelta(days=90))
    page.click(NEXT)
    page.click(NEXT)  # no family members
    fill_claim(page)
    page.click(NEXT)
    page.click(NEXT)  # no documents
    page.dblclick("button[value=submit]")  # an impatient double tap
    page.wait_for_selector("#reference")
    assert thanks in page.inner_text("main")
    assert Case.objects.count() == 1
    assert requests.foreign(live_server.url) == []


def test_language_switcher_changes_the_language(phone, live_server):
    page, _ = phone(locale="en-US")
    page.goto(f"{live_server.url}/intake/")
    page.click("button[name=language][value=es]")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#progress-label")).to_contain_text("Paso 1 de 7")


def test_errors_are_next_to_the_field_and_summarised(phone, live_server):
    page, _ = phone(locale="en-US")
    page.goto(f"{live_server.url}/intake/")
    page.click(NEXT)
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator("#error-summary a[href='#id_consent-consent']").count() == 1
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_the_first_step_works_with_the_keyboard_alone(phone, live_server):
    """Tab to each box, Space to tick it, Enter on the button: no mouse needed."""
    page, _ = phone(locale="en-US")
    page.goto(f"{live_server.url}/intake/")
    for box in ("#id_consent-consent", "#id_consent-no_relationship_yet"):
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == box[1:]:
                break
        page.keyboard.press("Space")
        assert page.is_checked(box)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "next":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake/step/about/")
    expect(page.locator("#progress-label")).to_contain_text("Step 2 of 7")
