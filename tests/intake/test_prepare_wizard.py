"""The preparation questionnaire (intake:prepare_start, intake:prepare_step) through Django's
test client against PostgreSQL, behind a secure link bound to the test's session."""

import datetime
import secrets

import pytest
from django.test import Client as Browser
from django.utils import timezone

from cases.models import CaseAccess, Employment, PreparationLink, Residence, link_token_hash
from intake import prepare_access
from intake.models import PreparationDraft

from ..factories import (
    AsylumClaimFactory,
    CaseFactory,
    ClientFactory,
    EntryFactory,
    FamilyMemberFactory,
    member_of,
)
from ..intake_pages import elements, text, the

pytestmark = pytest.mark.django_db

START = "/intake/prepare/questions/"


def url(slug: str) -> str:
    return f"{START}{slug}/"


@pytest.fixture
def retained_case():
    return make_retained_case()


def make_retained_case():
    """A retained client from the first intake: married, his wife in the US, one entry."""
    client = ClientFactory(marital_status="married", left_country_on=datetime.date(2026, 2, 20))
    AsylumClaimFactory(client=client)
    case = CaseFactory(client=client, stage="retained")
    EntryFactory(client=client, date=datetime.date(2026, 3, 2))
    FamilyMemberFactory(client=client, relationship="spouse", family_name="Politova",
                        given_names="Elena", name_native="Елена Политова",
                        date_of_birth=datetime.date(1992, 8, 1), marital_status="married",
                        nationality="RU")  # fmt: skip
    return case


def bind_link(browser: Browser, case) -> PreparationLink:
    """What the second check does (intake.prepare_access.bind): this session holds a live
    link to `case` (until branch preplink's tests/prepare_helpers.verified_client is merged)."""
    link = PreparationLink.objects.create(
        case=case, token_hash=link_token_hash(secrets.token_urlsafe(16)),
        created_by=member_of(f"lawyer{secrets.token_hex(3)}", "attorneys"),
        expires_at=timezone.now() + datetime.timedelta(days=14),
        session_nonce=secrets.token_urlsafe(32), verified_at=timezone.now(),
    )  # fmt: skip
    session = browser.session
    session[prepare_access.SESSION_LINK] = link.pk
    session[prepare_access.SESSION_NONCE] = link.session_nonce
    session[prepare_access.SESSION_SEEN] = datetime.datetime.now().timestamp()
    session.save()
    return link


@pytest.fixture
def linked(client, retained_case):
    bind_link(client, retained_case)
    return client


def about(**overrides) -> dict:
    data = {
        "about-family_name": "Politov", "about-given_names": "Dmitry",
        "about-family_name_native": "Политов", "about-given_names_native": "Дмитрий",
        "about-date_of_birth": "1990-05-17", "about-marital_status": "married",
        "about-city_of_birth": "Kazan", "about-country_of_birth": "RU",
        "about-nationality_at_birth": "RU", "about-ethnicity": "Tatar",
        "about-religion": "Muslim", "about-ssn": "", "about-passport_country": "RU",
        "about-passport_number": "751234567", "about-passport_expires_on": "2030-01-31",
        "about-i94_number": "123456789A1", "about-status_when_admitted": "Parole",
        "about-native_language": "Tatar, Russian", "about-fluent_in_english": "false",
    }  # fmt: skip
    return {**data, **overrides}


def family(member_pk, **overrides) -> dict:
    data = {
        "family-TOTAL_FORMS": "1", "family-INITIAL_FORMS": "1",
        "family-0-member": str(member_pk), "family-0-relationship": "spouse",
        "family-0-family_name": "Politova", "family-0-given_names": "Elena",
        "family-0-name_native": "Елена Политова", "family-0-date_of_birth": "1992-08-01",
        "family-0-city_of_birth": "Kazan", "family-0-country_of_birth": "RU",
        "family-0-sex": "female", "family-0-nationality": "RU",
        "family-0-marital_status": "married", "family-0-in_united_states": "on",
        "family-0-a_number": "", "family-0-passport_number": "759999999",
        "family-0-marriage_date": "2015-06-20", "family-0-marriage_place": "Kazan, Russia",
        "family-0-last_entry_date": "2026-03-02", "family-0-last_entry_place": "San Ysidro",
        "family-0-current_status": "Parole", "family-0-in_immigration_court": "false",
        "family-0-current_location": "San Diego",
    }  # fmt: skip
    return {**data, **overrides}


def residences() -> dict:
    return {
        "last-street": "ul. Baumana 5", "last-city": "Kazan", "last-country": "RU",
        "last-from_on": "2018-04", "last-to_on": "2026-02",
        "lived-TOTAL_FORMS": "2", "lived-INITIAL_FORMS": "0",
        "lived-0-street": "1200 Main St", "lived-0-city": "San Diego", "lived-0-country": "US",
        "lived-0-from_on": "2026-03",
        "lived-1-street": "ul. Baumana 5", "lived-1-city": "Kazan", "lived-1-country": "RU",
        "lived-1-from_on": "2018-04", "lived-1-to_on": "2026-02",
    }  # fmt: skip


def history() -> dict:
    return {
        "schools-TOTAL_FORMS": "0", "schools-INITIAL_FORMS": "0",
        "jobs-TOTAL_FORMS": "1", "jobs-INITIAL_FORMS": "0",
        "jobs-0-employer": "KazanSoft", "jobs-0-address": "Kazan, Russia",
        "jobs-0-occupation": "Engineer", "jobs-0-from_on": "2019-01", "jobs-0-to_on": "2026-02",
    }  # fmt: skip


def entries() -> dict:
    return {
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "1",
        "entries-0-date": "2026-03-02", "entries-0-place": "San Ysidro",
        "entries-0-manner": "cbp_one", "left-left_country_on": "2026-02-20",
    }  # fmt: skip


def questions(**overrides) -> dict:
    data = {f"questions-{name}": "no" for name in (
        "arrested_abroad", "organisations", "organisations_continued", "fears_torture",
        "family_applied_before", "other_country_travel", "other_country_status",
        "harmed_others", "returned_since_leaving", "us_crimes")}  # fmt: skip
    data["questions-fears_torture"] = "yes"
    data["questions-fears_torture_details"] = "Меня будут пытать в военкомате."
    return {**data, **overrides}


def all_steps(case) -> dict:
    spouse = case.client.family.get()
    return {"about": about(), "family": family(spouse.pk), "residences": residences(),
            "history": history(), "entries": entries(), "questions": questions()}  # fmt: skip


def walk(browser, steps: dict):
    for slug, data in steps.items():
        response = browser.post(url(slug), {**data, "action": "next"})
        assert response.status_code == 302, (slug, response.content.decode()[:4000])


def test_without_a_link_every_page_is_the_invalid_link_page(client, retained_case):
    """No link in the session: a 404 page that says nothing about the person, never cached."""
    for path in (START, url("about"), url("review"), "/intake/prepare/questions/sent/"):
        response = client.get(path)
        assert response.status_code == 404
        page = response.content.decode()
        assert "This link does not work" in page
        assert "Politov" not in page and "Dmitry" not in page
        assert "no-store" in response["Cache-Control"]
    assert client.post(url("about"), about()).status_code == 404
    assert not PreparationDraft.objects.exists()


def test_an_expired_link_shows_nothing(client, retained_case):
    link = bind_link(client, retained_case)
    PreparationLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert client.get(url("about")).status_code == 404


def test_start_goes_to_the_first_unfinished_step(linked, retained_case):
    response = linked.get(START)
    assert response.status_code == 302 and response["Location"] == url("about")
    walk(linked, {"about": about()})
    assert linked.get(START)["Location"] == url("family")


def test_the_first_intake_answers_are_prefilled(linked, retained_case):
    """The names, birth date, spouse and entry the first intake gave are on the pages."""
    page = linked.get(url("about")).content.decode()
    assert the(page, "input", {"name": "about-given_names_native"}).attributes
    assert 'value="Дмитрий"' in page and 'value="1990-05-17"' in page
    spouse = retained_case.client.family.get()
    page = linked.get(url("family")).content.decode()
    assert f'name="family-0-member" value="{spouse.pk}"' in page
    assert 'value="Елена Политова"' in page
    page = linked.get(url("entries")).content.decode()
    assert 'value="2026-03-02"' in page and 'value="San Ysidro"' in page
    assert 'value="2026-02-20"' in page


def test_marriage_details_only_when_married(linked, retained_case):
    """A married client is asked the date and place of the marriage, shown for a spouse
    (data-show-values), and not asked when the about step says single."""
    page = linked.get(url("family")).content.decode()
    assert 'name="family-0-marriage_date"' in page
    group = the(page, "div", {"data-show-values": "spouse"})
    assert "family-0-marriage_place" in str(group)
    walk(linked, {"about": about(**{"about-marital_status": "single"})})
    page = linked.get(url("family")).content.decode()
    assert "marriage_date" not in page


def test_a_spouse_marriage_before_the_client_was_born_is_refused(linked, retained_case):
    walk(linked, {"about": about()})
    spouse = retained_case.client.family.get()
    response = linked.post(url("family"), {
        **family(spouse.pk, **{"family-0-marriage_date": "1980-01-01"}), "action": "next"})
    assert response.status_code == 200
    assert "This date is before your date of birth." in response.content.decode()


@pytest.mark.parametrize("language, message", [
    ("en", "You answered yes: please explain."),
    ("ru", "Вы ответили «да»: пожалуйста, объясните."),
    ("uk", "Ви відповіли «так»: будь ласка, поясніть."),
    ("es", "Respondió que sí: explíquelo, por favor."),
])  # fmt: skip
def test_yes_without_an_explanation_gets_a_message_beside_it(linked, retained_case, language,
                                                              message):
    linked.cookies["django_language"] = language
    data = questions(**{"questions-arrested_abroad": "yes"})
    response = linked.post(url("questions"), {**data, "action": "next"})
    assert response.status_code == 200
    page = response.content.decode()
    feedback = elements(page, "div", {"class": "invalid-feedback"}) or elements(
        page, "span", {"class": "invalid-feedback"})
    assert any(message in text(node) for node in feedback), page[:3000]
    assert 'id="id_questions-arrested_abroad_details"' in page


def test_the_explanation_of_a_no_is_dropped(linked, retained_case):
    data = questions(**{"questions-fears_torture": "no"})
    response = linked.post(url("questions"), {**data, "action": "next"})
    assert response.status_code == 302
    draft = PreparationDraft.objects.get()
    from intake.prepare_steps import STEP_BY_SLUG

    draft.prefill = {}
    form = STEP_BY_SLUG["questions"].build(draft)["questions"]
    assert form.is_valid() and form.cleaned_data["fears_torture_details"] == ""


def test_late_filing_is_asked_only_a_year_after_the_last_arrival(linked, retained_case):
    page = linked.get(url("questions")).content.decode()
    recent = "late_filing_explanation" in page
    year_ago = timezone.localdate() - datetime.timedelta(days=400)
    walk(linked, {"entries": {**entries(), "entries-0-date": year_ago.isoformat(),
                              "left-left_country_on": (year_ago - datetime.timedelta(days=5))
                              .isoformat()}})  # fmt: skip
    response = linked.post(url("questions"), {**questions(), "action": "next"})
    assert response.status_code == 200
    assert "Please explain why you are applying now." in response.content.decode()
    assert (recent, "late_filing_explanation" in response.content.decode()) == (
        timezone.localdate() > datetime.date(2027, 3, 2), True)


def test_rows_are_added_and_removed(linked, retained_case):
    data = {**residences(), "action": "add:lived"}
    response = linked.post(url("residences"), data)
    assert response.status_code == 302
    page = linked.get(url("residences")).content.decode()
    assert 'name="lived-2-city"' in page and 'value="Kazan"' in page
    response = linked.post(url("residences"), {**residences(), "lived-TOTAL_FORMS": "3",
                                               "action": "remove:lived:0"})  # fmt: skip
    page = linked.get(url("residences")).content.decode()
    assert 'name="lived-1-city"' in page and 'name="lived-2-city"' not in page
    assert "San Diego" not in page  # row 0 went; the Kazan row moved up


def test_save_leave_and_come_back_with_a_new_session(linked, retained_case):
    """Half a step saved, the browser closed: a new link in a new browser finds it."""
    response = linked.post(url("about"), {**about(**{"about-date_of_birth": "1990-13-45"}),
                                          "action": "save"})  # fmt: skip
    assert response.status_code == 302
    later = Browser()
    bind_link(later, retained_case)
    page = later.get(url("about")).content.decode()
    assert 'value="Kazan"' in page and 'value="1990-13-45"' in page
    assert later.get(START)["Location"] == url("about")  # the bad date still needs fixing


def test_send_writes_the_records_and_is_audited(linked, retained_case):
    walk(linked, all_steps(retained_case))
    page = linked.get(url("review")).content.decode()
    assert "Tatar" in page and "KazanSoft" in page
    response = linked.post(url("review"), {"action": "send"})
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    assert "We received your answers" in linked.get(response["Location"]).content.decode()
    client = retained_case.client.__class__.objects.get(pk=retained_case.client_id)
    assert client.city_of_birth == "Kazan" and client.i94_number == "123456789A1"
    assert client.prepared_at is not None
    assert Residence.objects.filter(client=client).count() == 3  # the last abroad and two
    assert Employment.objects.get(client=client).employer == "KazanSoft"
    spouse = client.family.get()
    assert spouse.marriage_date == datetime.date(2015, 6, 20)
    assert spouse.passport_number == "759999999"
    assert client.claim.fears_torture is True
    assert client.claim.feared_harm == "Меня мобилизуют и отправят на войну."  # kept
    audit = CaseAccess.objects.get(action=CaseAccess.Action.CLIENT_PREPARED)
    assert audit.user is None and audit.case_id == retained_case.pk


def test_sending_twice_writes_once_and_a_change_sends_again(linked, retained_case):
    walk(linked, all_steps(retained_case))
    linked.post(url("review"), {"action": "send"})
    linked.post(url("review"), {"action": "send"})
    assert CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).count() == 1
    walk(linked, {"history": {**history(), "jobs-0-occupation": "Senior engineer"}})
    assert "You sent your answers on" in linked.get(url("review")).content.decode()
    linked.post(url("review"), {"action": "send"})
    assert CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).count() == 2
    assert Employment.objects.get().occupation == "Senior engineer"


def test_send_with_an_unfinished_step_goes_there(linked, retained_case):
    steps = all_steps(retained_case)
    del steps["history"]
    walk(linked, steps)
    response = linked.post(url("review"), {"action": "send"})
    assert response["Location"] == url("history")
    assert not CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).exists()


BAD_INPUT = [
    ("about", {"about-date_of_birth": "2999-01-01"}, "This date is in the future."),
    ("about", {"about-ssn": "12345"}, "A Social Security number has 9 digits."),
    ("about", {"about-i94_number": "x"}, "An I-94 number has 11 letters and digits."),
    ("about", {"about-passport_expires_on": "2199-01-01"}, "This date is too far ahead."),
    ("about", {"about-family_name": "Политов"}, "Latin"),
    ("entries", {"entries-0-date": "1980-01-01"}, "This date is before your date of birth."),
    ("entries", {"left-left_country_on": "2026-03-10"}, "This is after your last arrival"),
    ("residences", {"last-from_on": "2026-02", "last-to_on": "2020-01"},
     "This is before the start date."),
    ("residences", {"last-from_on": "1950-01"}, "This date is before your date of birth."),
    ("history", {"jobs-0-from_on": "2999-01"}, "This date is in the future."),
    ("questions", {"questions-us_crimes": "maybe"}, "Select a valid choice."),
]  # fmt: skip


@pytest.mark.parametrize("slug, bad, message", BAD_INPUT)
def test_bad_input_gets_a_message_and_keeps_the_answers(linked, retained_case, slug, bad,
                                                        message):
    walk(linked, {"about": about()})
    data = {**all_steps(retained_case)[slug], **bad}
    response = linked.post(url(slug), {**data, "action": "next"})
    assert response.status_code == 200
    assert message in response.content.decode()
    stored = PreparationDraft.objects.get().data[slug]
    assert all(stored[key] == [value] for key, value in bad.items())


def test_too_many_rows_and_unknown_fields_are_refused(linked, retained_case):
    response = linked.post(url("residences"), {**residences(), "lived-TOTAL_FORMS": "5000",
                                               "action": "next"})  # fmt: skip
    assert response.status_code == 400
    linked.post(url("about"), {**about(), "about-evil": "x" * 5000, "about-ssn": "1" * 500,
                               "action": "next"})  # fmt: skip
    stored = PreparationDraft.objects.get().data["about"]
    assert "about-evil" not in stored and stored["about-ssn"] == [""]
    # A row count int() cannot read ("²" is a digit to str.isdigit) adds or removes nothing.
    for action in ("remove:lived:0", "add:lived", "remove:lived:²"):
        response = linked.post(url("residences"), {**residences(), "lived-TOTAL_FORMS": "²",
                                                   "action": action})  # fmt: skip
        assert response.status_code < 500


def test_the_engine_reads_no_unreadable_row_count():
    """intake.wizard, shared with the first intake: "²" and "٣" as counts."""
    from intake import wizard

    assert wizard.remove_form({"x-TOTAL_FORMS": ["²"]}, "x", 0) == {"x-TOTAL_FORMS": ["²"]}
    assert wizard.add_form({"x-TOTAL_FORMS": ["²"]}, "x", 5) == {"x-TOTAL_FORMS": ["1"]}


def test_a_pk_of_someone_elses_relative_is_never_written(linked, retained_case):
    """A row naming another client's family member by pk adds a relative to this client
    and leaves the other untouched."""
    stranger = FamilyMemberFactory(given_names="Stranger")
    steps = all_steps(retained_case)
    steps["family"] = {**steps["family"], "family-TOTAL_FORMS": "2",
                       "family-1-member": str(stranger.pk), "family-1-relationship": "parent",
                       "family-1-family_name": "Politov", "family-1-given_names": "Ivan",
                       "family-1-deceased": "on"}  # fmt: skip
    walk(linked, steps)
    linked.post(url("review"), {"action": "send"})
    stranger.refresh_from_db()
    assert stranger.given_names == "Stranger"
    father = retained_case.client.family.get(given_names="Ivan")
    assert father.deceased and father.relationship == "parent"


NASTY = [
    "<script>alert(1)</script>", "'; DROP TABLE cases_client; --", "\x00", "\u202egnp.exe",
    "2026-02-30", "0000-00", "-1", "９９９", "1990-13", "A" * 30_000, "", " ", "yes", "no",
    "on", "true", "999999999999999999999", "NaN", "Дмитрий", "🙂" * 500, "../../etc/passwd",
    "{{ 7*7 }}", "2999-01", "1899-12-31",
]  # fmt: skip
FUZZ_KEYS = {
    "about": ["about-family_name", "about-date_of_birth", "about-ssn", "about-i94_number",
              "about-passport_expires_on", "about-mailing_different", "about-mailing_line1",
              "about-fluent_in_english", "about-uscis_account_number", "about-marital_status"],
    "family": ["family-TOTAL_FORMS", "family-INITIAL_FORMS", "family-0-member",
               "family-0-relationship", "family-0-date_of_birth", "family-0-marriage_date",
               "family-0-a_number", "family-0-in_immigration_court", "family-3-given_names"],
    "residences": ["last-from_on", "last-to_on", "last-country", "lived-TOTAL_FORMS",
                   "lived-0-from_on", "lived-1-to_on", "lived-0-city", "lived-7-city"],
    "questions": ["questions-arrested_abroad", "questions-arrested_abroad_details",
                  "questions-other_country_status", "questions-us_crimes",
                  "questions-late_filing_explanation", "questions-harmed_others"],
}  # fmt: skip


def hostile_posts(slug):
    from hypothesis import strategies as st

    value = st.one_of(st.sampled_from(NASTY), st.text(max_size=100))
    payload = st.dictionaries(keys=st.sampled_from(FUZZ_KEYS[slug]),
                              values=st.one_of(value, st.lists(value, min_size=2, max_size=3)),
                              max_size=len(FUZZ_KEYS[slug]))  # fmt: skip
    return st.tuples(st.sampled_from(["keep", "replace"]), payload)


def fuzz_check(browser, case, slug, mode, payload):
    """A hostile step posted into an otherwise complete questionnaire, then sent: never a
    server error, and a refused send writes nothing."""
    steps = all_steps(case)
    if not browser.session.get("fuzz_ready"):
        walk(browser, steps)
        session = browser.session
        session["fuzz_ready"] = True
        session.save()
    base = steps[slug] if mode == "keep" else {}
    response = browser.post(url(slug), {**base, **payload, "action": "next"})
    assert response.status_code < 500
    audits = CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).count()
    rows = Residence.objects.count()
    sent = browser.post(url("review"), {"action": "send"})
    assert sent.status_code < 500
    if not sent.get("Location", "").endswith("/sent/"):
        assert CaseAccess.objects.filter(
            action=CaseAccess.Action.CLIENT_PREPARED).count() == audits
        assert Residence.objects.count() == rows


def _fuzz_test(slug):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings

    @hypothesis_settings(max_examples=40, deadline=None, database=None, derandomize=True,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])  # fmt: skip
    @given(post=hostile_posts(slug))
    def test(linked, retained_case, post):
        fuzz_check(linked, retained_case, slug, *post)

    test.__doc__ = f"Hostile posts to the {slug} step: never a 500, never half-written."
    return test


test_hostile_about = _fuzz_test("about")
test_hostile_family = _fuzz_test("family")
test_hostile_residences = _fuzz_test("residences")
test_hostile_questions = _fuzz_test("questions")


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_at_once_write_once(reference_data):
    """Two sends of one questionnaire at the same moment (two tabs, two connections): the
    draft's lock lets one write; the other finds it sent and unchanged."""
    import threading

    from django.db import connection

    from intake.services import preparation_send

    case = make_retained_case()
    browser = Browser()
    bind_link(browser, case)
    walk(browser, all_steps(case))
    draft = PreparationDraft.objects.get()
    barrier, results = threading.Barrier(2), []

    def send():
        try:
            barrier.wait()
            results.append(preparation_send(draft_id=draft.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert CaseAccess.objects.filter(action=CaseAccess.Action.CLIENT_PREPARED).count() == 1
    assert Residence.objects.filter(client=case.client).count() == 3


def test_questionnaire_drafts_are_purged_and_nothing_sent_is_lost(linked, retained_case,
                                                                   settings):
    """The drafts' retention (intake.retention) takes a questionnaire sent and unchanged
    after the submitted-draft days; the client who comes back finds the answers in the
    records. A questionnaire changed after its send waits like an unsent one."""
    from intake.retention import drafts_purge

    walk(linked, all_steps(retained_case))
    linked.post(url("review"), {"action": "send"})
    later = timezone.now() + datetime.timedelta(
        days=settings.INTAKE_SUBMITTED_DRAFT_RETENTION_DAYS, hours=1)
    assert drafts_purge(now=later) == 1
    assert not PreparationDraft.objects.exists()
    page = linked.get(url("about")).content.decode()  # a fresh draft, from the records
    assert 'value="Kazan"' in page and 'value="123456789A1"' in page
    walk(linked, {"about": about(**{"about-religion": "Orthodox"})})
    draft = PreparationDraft.objects.get()
    PreparationDraft.objects.filter(pk=draft.pk).update(submitted_at=timezone.now()
                                                        - datetime.timedelta(days=1))
    assert drafts_purge(now=later) == 0  # changed after its send: kept
    unsent = timezone.now() + datetime.timedelta(days=settings.INTAKE_DRAFT_RETENTION_DAYS,
                                                 hours=1)
    assert drafts_purge(now=unsent) == 1
