"""The I-589 data sheet as a staff member meets it: HTML, PDF (read back with pypdf) and
JSON, each audited; the client's account only for who may read it; the readiness page and
the case page's panel; outsiders refused; a merged case; the firm's translation of the
questionnaire's explanations through the case page's one translation form."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Case, CaseAccess

from ..conftest import browser_of
from ..factories import CaseFactory
from .i589_world import ARRESTED, PAST_HARM, prepared_case

pytestmark = pytest.mark.django_db

ARRESTED_EN = "I was detained at an anti-war picket in Kazan."


def sheet_url(case, query=""):
    return reverse("cases:i589", args=[case.pk]) + query


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def audits(case):
    return list(CaseAccess.objects.filter(case=case, action="i589").values_list("detail",
                                                                                flat=True))


@pytest.fixture
def case():
    return prepared_case()


def test_html_sheet_shows_each_value_beside_its_part_and_item(lawyer, case):
    page = browser_of(lawyer).get(sheet_url(case)).content.decode()
    assert '<th scope="row" class="fw-normal">Part A.I, item 14</th>' in page
    assert "Present nationality (citizenship)</td><td class=\"i589-value\">Russia</td>" in page
    assert "Politov (Политов)" in page
    assert ARRESTED_EN in page  # an attorney reads the explanations
    assert "continue on Supplement B" in page  # the sixth address
    assert "Part A.II, spouse, item 9" in page
    assert "Part A.II, child 5, item 8 (Supplement A)" in page  # the fifth child
    assert audits(case) == [{"format": "html", "declaration": False}]


def test_pdf_holds_item_numbers_and_values_cyrillic_included(lawyer, case):
    response = browser_of(lawyer).get(sheet_url(case, "?format=pdf&include=declaration"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}-i589.pdf"'
    text = pdf_text(response.content)
    assert "Part A.I, item 14" in text and "Russia" in text
    assert "Part A.I, item 12" in text and "05/17/1990" in text
    assert "Politov (Политов)" in text
    assert "Supplement B: Part A.III, item 2 continued" in text
    assert "Declaration draft" in text
    assert "трижды вызывали" in text  # the client's own words, beside...
    assert "No English translation yet." in text  # ...a translation still to be written
    assert audits(case) == [{"format": "pdf", "declaration": True}]


def test_json_keys_are_part_and_item(lawyer, case):
    response = browser_of(lawyer).get(sheet_url(case, "?format=json&include=declaration"))
    data = json.loads(response.content)
    assert data["items"]["A.I.14"] == "Russia"
    assert data["items"]["A.I.4"] == "Politov (Политов)"
    assert data["items"]["A.III.2"][0]["city"] == "San Diego"
    assert data["items"]["B.2.explanation"] == ARRESTED_EN
    b2 = next(s for s in data["declaration"] if s["key"] == "B.2")
    assert b2["passages"] == [{"label": "Explanation", "original": ARRESTED,
                               "english": ARRESTED_EN}]  # fmt: skip
    b1a = next(s for s in data["declaration"] if s["key"] == "B.1.A")
    assert b1a["passages"][0] == {"label": "What happened", "original": PAST_HARM,
                                  "english": None}  # fmt: skip
    assert audits(case) == [{"format": "json", "declaration": True}]


def test_the_account_is_hidden_from_staff_without_the_permission(paralegal, case):
    """A paralegal gets the sheet without the Part B and C explanations in every format,
    and no declaration even when asking for it."""
    browser = browser_of(paralegal)
    page = browser.get(sheet_url(case, "?include=declaration")).content.decode()
    pdf = pdf_text(browser.get(sheet_url(case, "?format=pdf&include=declaration")).content)
    data = browser.get(sheet_url(case, "?format=json&include=declaration")).content.decode()
    for body in (page, pdf, data):
        for secret in (ARRESTED, ARRESTED_EN, PAST_HARM, "I will be mobilised"):
            assert secret not in body
        assert "Russia" in body
    assert "left out" in page and "Declaration draft" not in page
    assert "declaration" not in json.loads(data)
    assert "B.2" in json.loads(data)["items"]  # the yes/no stays
    assert [d["declaration"] for d in audits(case)] == [False, False, False]


def test_outsiders_are_refused_and_nothing_is_recorded(case, client):
    anonymous = client.get(sheet_url(case, "?format=pdf"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/staff/login/")
    nobody = User.objects.create_user("nobody", "nobody@firm.example", "x" * 16)
    browser = browser_of(nobody)  # signed in, second factor done, in no group
    for url in (sheet_url(case), sheet_url(case, "?format=json"),
                reverse("cases:i589_readiness", args=[case.pk])):  # fmt: skip
        assert browser.get(url).status_code == 403
    assert audits(case) == []


def test_an_unknown_format_is_a_clear_400(lawyer, case):
    response = browser_of(lawyer).get(sheet_url(case, "?format=docx"))
    assert response.status_code == 400
    assert b"ask for html, pdf or json" in response.content
    assert audits(case) == []


def test_a_merged_case_says_where_it_went(lawyer, case):
    kept = CaseFactory()
    Case.objects.filter(pk=case.pk).update(merged_into=kept)
    browser = browser_of(lawyer)
    page = browser.get(sheet_url(case)).content.decode()
    assert f"This case was merged into {kept.reference}" in page
    data = json.loads(browser.get(sheet_url(case, "?format=json")).content)
    assert data["merged_into"] == kept.reference
    assert f"merged into {kept.reference}" in pdf_text(
        browser.get(sheet_url(case, "?format=pdf")).content)


def test_readiness_page_and_the_case_page_panel(lawyer, case):
    browser = browser_of(lawyer)
    page = browser.get(reverse("cases:i589_readiness", args=[case.pk])).content.decode()
    assert "has no explanation of why the application is filed late" in page
    assert "Part A.I. Information about you" in page
    detail = browser.get(case.get_absolute_url()).content.decode()
    assert 'id="i589-panel"' in detail
    assert reverse("cases:i589_readiness", args=[case.pk]) in detail
    assert sheet_url(case) + "?format=pdf" in detail
    assert "C: " in detail and "to check" in detail


def test_the_firm_translates_the_explanations_in_the_one_translation_form(lawyer, case):
    """The case page's translation form takes the Part B/C explanations too; the client's
    words stay as written."""
    browser = browser_of(lawyer)
    page = browser.get(case.get_absolute_url()).content.decode()
    assert 'name="other_country_details_en"' in page
    assert "Через Мексику, две недели." in page  # the original beside it on the page
    claim = case.client.claim
    data = {"version": case.version, "other_country_details_en": "Through Mexico, two weeks.",
            "arrested_abroad_details_en": ARRESTED_EN, "feared_harm_en": "I will be mobilised."}
    response = browser.post(reverse("cases:translation", args=[case.pk]), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.other_country_details_en == "Through Mexico, two weeks."
    assert claim.other_country_details == "Через Мексику, две недели."
    sheet = json.loads(browser.get(sheet_url(case, "?format=json")).content)
    assert sheet["items"]["C.2.explanation"] == "Through Mexico, two weeks."


def test_markup_typed_by_a_client_is_text_in_html_and_pdf(lawyer):
    """A name or story full of markup neither runs on the page nor breaks ReportLab's
    paragraph markup: it comes out as the characters typed."""
    case = prepared_case(other_names='<script>alert(1)</script> <font size="40">Big</font>')
    claim = case.client.claim
    claim.arrested_abroad_details_en = "</para><b>unclosed & <i>"
    claim.save()
    browser = browser_of(lawyer)
    page = browser.get(sheet_url(case)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Lines wrap where the column ends: compare with whitespace folded.
    text = " ".join(pdf_text(browser.get(sheet_url(case, "?format=pdf")).content).split())
    assert '<script>alert(1)</script> <font size="40">Big</font>' in text
    assert "</para><b>unclosed & <i>" in text
