"""Consultation scheduling on the case page: bounded, versioned and audited; the client's
confirmation e-mail in their language (through the outbox, a real worker and SMTP server);
consultations on the deadlines page and in the calendar feed, without client names."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.models import CaseAccess
from cases.timezones import today
from cases.views.common import STALE
from notifications.models import Email

from ..conftest import browser_of
from ..factories import CaseFactory, ClientFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)
LA = ZoneInfo("America/Los_Angeles")
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip
RU_WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота",
               "Воскресенье"]  # fmt: skip


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LA), tick=False)


@pytest.fixture
def case(lawyer):
    return CaseFactory(assigned_attorney=lawyer, client__email="politov@example.org",
                       client__preferred_language="ru")  # fmt: skip


def url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def schedule(browser, case, **fields):
    case.refresh_from_db()
    data = {"version": case.version, "day": "", "at": "", "attorney": "", "mode": "", **fields}
    return browser.post(url("consultation", case), data, follow=True)


def booking(attorney, day=TODAY + timedelta(days=9), at="10:30", mode="video") -> dict:
    return {"day": day.isoformat(), "at": at, "attorney": attorney.pk, "mode": mode}


def consultation_emails(case):
    return list(Email.objects.filter(case_id=case.pk, kind="consultation").order_by("pk"))


def audit(case):
    return [row.detail for row in CaseAccess.objects.filter(case=case, action="consultation")
            .order_by("at", "pk")]  # fmt: skip


def test_a_paralegal_schedules_and_the_client_is_emailed_in_russian(frozen, paralegal, lawyer,
                                                                   case):  # fmt: skip
    response = schedule(browser_of(paralegal), case, **booking(lawyer))
    assert messages_of(response) == [
        "Consultation scheduled. The client is sent a confirmation by e-mail."]
    page = response.content.decode()
    start = page.index('id="consultation"')
    shown = page[start:page.index("</p>", start)]
    assert "Fri 2026-06-19" in shown and "10:30 Pacific (PDT)" in shown
    assert "video call" in shown and "with lawyer" in shown
    case.refresh_from_db()
    assert (case.consultation_date, case.consultation_time, case.consultation_attorney,
            case.consultation_mode) == (date(2026, 6, 19), time(10, 30), lawyer, "video")
    assert audit(case)[0]["changes"] == {
        "consultation_date": ["", "2026-06-19"], "consultation_time": ["", "10:30:00"],
        "consultation_attorney": ["", "lawyer"], "consultation_mode": ["", "video"],
    }  # fmt: skip

    [email] = consultation_emails(case)
    assert audit(case)[0]["email"] == email.pk
    assert (email.to, email.language, email.status) == ("politov@example.org", "ru", "queued")
    assert email.subject == f"Ваша консультация: {case.reference}"
    assert "Дата: Пятница, 19 июня 2026" in email.body_text
    assert "Время: 10:30 по местному времени города Los Angeles (PDT)" in email.body_text
    assert "по видеосвязи" in email.body_text
    assert case.reference in email.body_text
    assert "+1 619 555 0199" in email.body_text  # how to reach the firm
    for name in ("Politov", "Политов", "Dmitry"):
        assert name not in email.subject


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("en", "Your consultation: {}", ["Date: Friday, June 19, 2026",
                                    "Time: 10:30, Los Angeles time (PDT)",
                                    "How: in person, at our office: 110 West C Street"]),
    ("uk", "Ваша консультація: {}", ["Дата: П’ятниця, 19 червня 2026",
                                    "Час: 10:30 за місцевим часом міста Los Angeles (PDT)",
                                    "Як: особисто, у нашому офісі: 110 West C Street"]),
    ("es", "Su consulta: {}", ["Fecha: viernes, 19 de junio de 2026",
                              "Hora: 10:30, hora local de Los Angeles (PDT)",
                              "Cómo: en persona, en nuestra oficina: 110 West C Street"]),
])  # fmt: skip
def test_the_email_is_in_the_clients_language(frozen, lawyer, language, subject, words):
    case = CaseFactory(assigned_attorney=lawyer, client__preferred_language=language)
    schedule(browser_of(lawyer), case, **booking(lawyer, mode="office"))
    [email] = consultation_emails(case)
    assert email.subject == subject.format(case.reference)
    assert [word for word in words if word not in email.body_text] == [], email.body_text
    assert [word for word in words if word not in email.body_html] == []


def test_a_phone_consultation_names_the_number_we_call(frozen, lawyer, case):
    schedule(browser_of(lawyer), case, **booking(lawyer, mode="phone"))
    [email] = consultation_emails(case)
    assert "Мы позвоним вам по номеру +1 619-555-0100." in email.body_text


def test_moving_it_emails_again_and_a_new_attorney_alone_does_not(frozen, lawyer, case):
    browser = browser_of(lawyer)
    schedule(browser, case, **booking(lawyer))
    response = schedule(browser, case, **booking(lawyer, at="15:00"))
    assert messages_of(response) == [
        "Consultation moved. The client is sent a confirmation by e-mail."]
    first, moved = consultation_emails(case)
    assert moved.subject == f"Ваша консультация перенесена: {case.reference}"
    assert "Время: 15:00" in moved.body_text
    assert audit(case)[1]["changes"] == {"consultation_time": ["10:30:00", "15:00:00"]}

    counsel = member_of("counsel", "attorneys")
    response = schedule(browser, case, **booking(counsel, at="15:00"))
    assert messages_of(response) == ["Consultation moved."]
    assert len(consultation_emails(case)) == 2
    assert audit(case)[2]["changes"] == {"consultation_attorney": ["lawyer", "counsel"]}


def test_cancelling_clears_it_without_an_email(frozen, lawyer, case):
    browser = browser_of(lawyer)
    schedule(browser, case, **booking(lawyer))
    response = schedule(browser, case, cancel="on", day="2026-06-19")
    assert messages_of(response) == ["Consultation cancelled."]
    case.refresh_from_db()
    assert (case.consultation_date, case.consultation_time, case.consultation_attorney,
            case.consultation_mode) == (None, None, None, "")
    assert len(consultation_emails(case)) == 1
    assert "None scheduled." in response.content.decode()


def test_a_client_without_email_is_not_emailed(frozen, lawyer):
    case = CaseFactory(client=ClientFactory(email="", preferred_contact="phone"))
    response = schedule(browser_of(lawyer), case, **booking(lawyer))
    assert messages_of(response) == [
        "Consultation scheduled. The client has no e-mail: tell them by phone."]
    assert consultation_emails(case) == []


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"day": "2026-06-09"}, "day", "The date has passed"),
    ({"day": "2027-06-11"}, "day", "That is more than 365 days ahead"),
    ({"day": "9999-12-31"}, "day", "That is more than 365 days ahead"),
    ({"day": "2026-13-01"}, "day", "Enter a valid date."),
    ({"day": ""}, "day", "Choose the date"),
    ({"at": ""}, "at", "Give the time"),
    ({"at": "25:00"}, "at", "Enter a valid time."),
    ({"day": "2026-06-10", "at": "11:00"}, "at", "That time has passed today"),
    ({"attorney": ""}, "attorney", "Choose the attorney"),
    ({"attorney": "paralegal"}, "attorney", "Select a valid choice."),
    ({"mode": ""}, "mode", "Choose phone, video or office"),
    ({"mode": "carrier pigeon"}, "mode", "Select a valid choice."),
])  # fmt: skip
def test_bad_input_is_refused_beside_its_field(frozen, lawyer, paralegal, case, fields, field,
                                               message):  # fmt: skip
    data = booking(lawyer)
    data.update({k: (paralegal.pk if v == "paralegal" else v) for k, v in fields.items()})
    response = schedule(browser_of(lawyer), case, **data)
    assert response.status_code == 400
    page = response.content.decode()
    block = page[page.index(f'id="div_id_consultation_{field}"'):]
    block = block[:block.index('<div id="div_id_consultation_', 10)
                  if '<div id="div_id_consultation_' in block[10:] else block.index("</form>")]
    assert message in block
    case.refresh_from_db()
    assert (case.consultation_date, case.version) == (None, 1)
    assert audit(case) == [] and consultation_emails(case) == []


def test_a_stale_page_is_refused(frozen, lawyer, case):
    browser = browser_of(lawyer)
    stale = 1
    schedule(browser, case, **booking(lawyer))
    response = browser.post(url("consultation", case),
                            {**booking(lawyer, at="09:00"), "version": stale}, follow=True)
    assert [m[: len(STALE)] for m in messages_of(response)] == [STALE]
    case.refresh_from_db()
    assert case.consultation_time == time(10, 30)
    assert len(consultation_emails(case)) == 1


def test_without_change_case_it_is_refused(frozen, lawyer, case):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", "nobody@firm.example", "x" * 16)
    response = browser_of(nobody).post(url("consultation", case), {**booking(lawyer),
                                                                    "version": 1})  # fmt: skip
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.consultation_date is None and consultation_emails(case) == []


@pytest.fixture
def booked(frozen, lawyer, paralegal):
    """A consultation held by `holder` on the lawyer's case worked by the paralegal; one on
    a declined case; one nobody here works."""
    holder = member_of("holder", "attorneys")
    mine = CaseFactory(assigned_attorney=lawyer, assigned_paralegal=paralegal,
                       consultation_date=TODAY + timedelta(days=3), consultation_time=time(9, 0),
                       consultation_attorney=holder, consultation_mode="video")  # fmt: skip
    declined = CaseFactory(assigned_attorney=lawyer, stage="declined",
                           consultation_date=TODAY + timedelta(days=4))  # fmt: skip
    other = CaseFactory(consultation_date=TODAY + timedelta(days=5), consultation_mode="phone",
                        consultation_time=time(14, 0))  # fmt: skip
    return {"holder": holder, "mine": mine, "declined": declined, "other": other}


def consultation_refs(page: str) -> list[str]:
    table = page[page.index('id="upcoming-consultations"'):]
    return re.findall(r">(AI-\d{4}-\d{6})<", table[:table.index("</table>")])


@pytest.mark.parametrize("who", ["lawyer", "paralegal", "holder"])
def test_the_deadlines_page_lists_the_consultations_of_my_cases_and_those_i_hold(
        booked, lawyer, paralegal, who):  # fmt: skip
    user = {"lawyer": lawyer, "paralegal": paralegal, "holder": booked["holder"]}[who]
    page = browser_of(user).get(reverse("cases:deadlines")).content.decode()
    assert consultation_refs(page) == [booked["mine"].reference]
    everyone = browser_of(user).get(reverse("cases:deadlines") + "?all=1").content.decode()
    assert consultation_refs(everyone) == [booked["mine"].reference, booked["other"].reference]


def feed_of(user):
    browser = browser_of(user)
    page = browser.post(reverse("cases:calendar_link"), {"action": "create"}, follow=True)
    feed_url = re.search(r'id="feed-url"[^>]* value="([^"]+)"', page.content.decode())[1]
    return Client().get(feed_url)


@pytest.mark.parametrize("who", ["paralegal", "holder"])
def test_the_feed_has_the_consultation_at_the_firms_time_without_names(booked, paralegal, who):
    user = {"paralegal": paralegal, "holder": booked["holder"]}[who]
    response = feed_of(user)
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events.pop(f"consultation-{booked['mine'].pk}@asylum-intake")
    assert events == {}  # the declined case and the other one are not there
    assert str(event["SUMMARY"]) == f"{booked['mine'].reference}: Consultation (video)"
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 6, 13, 9, 0, tzinfo=LA)
    assert getattr(start.tzinfo, "key", str(start.tzinfo)) == "America/Los_Angeles"
    assert event.decoded("DTEND") - start == timedelta(hours=1)
    body = re.sub(r"\r\n[ \t]", "", response.content.decode())
    for name in ("Politov", "Dmitry", "Политов"):
        assert name not in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "celery_worker_process")
def test_the_worker_delivers_the_russian_confirmation(smtp):
    """Through the real outbox, Redis, Celery worker and SMTP server."""
    lawyer = member_of("lawyer", "attorneys")
    case = CaseFactory(assigned_attorney=lawyer, client__email="politov@example.org",
                       client__preferred_language="ru")  # fmt: skip
    day = today() + timedelta(days=10)
    response = schedule(browser_of(lawyer), case, **booking(lawyer, day=day, at="16:45"))
    assert response.status_code == 200
    [message] = smtp.wait_for(1, timeout=30)
    assert message["To"] == "politov@example.org"
    # (the encoded header comes back folded, after a space)
    assert message["Subject"].strip() == f"Ваша консультация: {case.reference}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    zone = datetime.combine(day, time(16, 45), LA).strftime("%Z")
    assert f"Дата: {RU_WEEKDAYS[day.weekday()]}, {day.day} {RU_MONTHS[day.month - 1]} " \
           f"{day.year}" in text
    assert f"Время: 16:45 по местному времени города Los Angeles ({zone})" in text
    assert "Как: по видеосвязи." in text
    assert Email.objects.get(case_id=case.pk, kind="consultation").status == "sent"


def test_booking_can_move_a_triaged_case_to_consultation_scheduled(frozen, paralegal, lawyer):
    """The stage move stays its own change: a stage history entry and its own audit row."""
    case = CaseFactory(stage="triaged")
    browser = browser_of(paralegal)
    assert "Also move the case to “Consultation scheduled”" in browser.get(
        url("detail", case)).content.decode()
    response = schedule(browser, case, **booking(lawyer), move_stage="on")
    assert messages_of(response) == [
        "Consultation scheduled. The client is sent a confirmation by e-mail. The case is now "
        "at Consultation scheduled."]  # fmt: skip
    case.refresh_from_db()
    assert (case.stage, case.consultation_date, case.version) == (
        "consultation", date(2026, 6, 19), 3)
    [change] = case.stage_changes.all()
    assert (change.from_stage, change.to_stage, change.by) == ("triaged", "consultation",
                                                               paralegal)  # fmt: skip
    actions = list(CaseAccess.objects.filter(case=case).exclude(action="view")
                   .order_by("at", "pk").values_list("action", flat=True))  # fmt: skip
    assert actions == ["consultation", "stage"]


def test_the_stage_is_offered_only_where_the_workflow_allows_it(frozen, lawyer):
    """A new case is triaged first; "tick" posted anyway is not a move."""
    case = CaseFactory(stage="new")
    browser = browser_of(lawyer)
    assert "Also move the case" not in browser.get(url("detail", case)).content.decode()
    schedule(browser, case, **booking(lawyer), move_stage="on")
    case.refresh_from_db()
    assert (case.stage, case.consultation_date) == ("new", date(2026, 6, 19))
    assert not case.stage_changes.exists()
