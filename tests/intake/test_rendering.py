"""What a client sees of the wizard's questions, rendered by crispy-forms' Bootstrap 5 pack:
every question with its label, the questions that hang on a ticked box grouped for
static/js/intake.js, errors beside their field and in the summary, the mark of a required
question, and the inputs a phone needs (dates, files)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.forms import Select, Textarea
from django.template import engines
from django.utils import translation

from cases.models import Court
from intake import forms as intake_forms

from ..intake_data import answers, walk
from ..intake_pages import classes, elements, rendered, text, the

pytestmark = pytest.mark.django_db

QUESTION_STEPS = ("consent", "about", "arrival", "family", "claim", "documents")
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def forms_on(response) -> list:
    """Every form the page shows, a formset's rows one by one."""
    shown = []
    for form in response.context["forms"].values():
        shown += form.forms if hasattr(form, "management_form") else [form]
    return shown


def assert_every_question_shown(page: str, form):
    for field in form:
        label = the(page, "label", {"for": field.id_for_label})
        assert str(field.label) in text(label), field.html_name
        widget = field.field.widget
        tag = "select" if isinstance(widget, Select) else "textarea" if isinstance(
            widget, Textarea) else "input"  # fmt: skip
        assert the(page, tag, {"id": field.auto_id, "name": field.html_name})
        if field.help_text:
            help_text = the(page, "div", {"id": f"{field.auto_id}_helptext"})
            assert str(field.help_text) in text(help_text), field.html_name


@pytest.mark.parametrize("answered", [False, True], ids=["blank", "answered"])
def test_every_step_shows_every_question_with_its_label_and_help(client, answered):
    steps = answers()
    walk(client, steps if answered else {"consent": steps["consent"]})
    for slug in QUESTION_STEPS:
        response = client.get(f"/intake/step/{slug}/")
        assert response.status_code == 200, slug
        for form in forms_on(response):
            assert_every_question_shown(response.content.decode(), form)


def test_the_save_page_shows_the_email_question(client):
    walk(client, {"consent": answers()["consent"]})
    response = client.get("/intake/save/")
    assert_every_question_shown(response.content.decode(), response.context["form"])


def test_a_step_page_has_one_form_tag_and_one_csrf_token_per_form(client):
    """Crispy renders the questions only: the step template holds the <form>, its token and
    the anti-automation guard (the header's language switcher has a form of its own)."""
    walk(client, answers())
    for slug in QUESTION_STEPS:
        page = client.get(f"/intake/step/{slug}/").content.decode()
        step_forms = [form for form in elements(page, "form", {"method": "post"})
                      if dict(form.attributes).get("action") != "/i18n/setlang/"]  # fmt: skip
        assert step_forms, slug
        for form in step_forms:
            assert len(elements(str(form), "form")) == 1, slug  # none nested
            assert len(elements(str(form), "input", {"name": "csrfmiddlewaretoken"})) == 1
            assert len(elements(str(form), "input", {"name": "contact_by_fax"})) == 1



LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська", "es": "Español"}


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_the_language_switcher_names_each_language_in_itself(client, language):
    """A reader finds their language whatever the page's: "English", not "Английский", on
    a Russian page; each name marked with its own lang for screen readers."""
    client.cookies["django_language"] = language
    for url in ("/intake/step/consent/", "/intake/resume/not-a-real-token/"):
        page = client.get(url).content.decode()
        buttons = [dict(b.attributes) | {"text": text(b)}
                   for b in elements(page, "button", {"name": "language"})]  # fmt: skip
        assert {b["value"]: (b["lang"], b["text"]) for b in buttons} == {
            code: (code, name) for code, name in LANGUAGE_NAMES.items()
        }, url


PRIVACY = (
    "Who sees it: only the lawyers and staff of our firm who work on asylum cases. We keep "
    "your answers confidential. We share them only with your permission, or when the law "
    "requires it (for example a court order), and we never share them with your government."
)


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_the_privacy_notice_promises_only_what_the_firm_can_keep(client, language):
    """A court order can compel the firm: "never without your written permission" cannot be
    promised."""
    client.cookies["django_language"] = language
    page = client.get("/intake/step/consent/").content.decode()
    notice = text(the(page, "section", {"aria-labelledby": "privacy-heading"}))
    with translation.override(language):
        promise = translation.gettext(PRIVACY)
    assert promise in notice and (language == "en" or promise != PRIVACY)
    assert "written permission" not in notice


@pytest.mark.parametrize(("language", "year_mark"), [("ru", "г."), ("uk", "р.")])
def test_a_date_is_never_followed_by_a_second_full_stop(client, language, year_mark):
    """Russian and Ukrainian dates end in an abbreviation with its own stop ("2027 г."), so
    no page may put one after a date ("2027 г..")."""
    client.cookies["django_language"] = language
    born = date.today() - timedelta(days=round(21 * 365.25) - 60)  # 21 in about two months
    child = {"relationship": "child", "family_name": "Politov", "given_names": "Ivan",
             "date_of_birth": born.isoformat(), "marital_status": "single",
             "in_united_states": "on"}
    family = {**answers()["family"], **{f"family-1-{k}": v for k, v in child.items()},
              "family-TOTAL_FORMS": "2"}  # fmt: skip
    walk(client, answers(family=family))
    pages = [client.get(f"/intake/step/{slug}/").content.decode()
             for slug in (*QUESTION_STEPS, "review")]  # fmt: skip
    notes = [text(note) for note in elements(pages[-1], "div", {"role": "note"})
             if "turns-21" in classes(note)]  # fmt: skip
    assert len(notes) == 1 and f"{born.year + 21} {year_mark}:" in notes[0]  # a date is shown
    assert [page for page in pages if re.search(rf"\d{{4}} {re.escape(year_mark)}\.", page)] == []


CONDITIONAL = {
    "detained": ["detention_facility"],
    "in_removal_proceedings": [
        "notice_to_appear_date", "next_hearing_date", "hearing_court", "judge_filing_deadline",
    ],
    "missed_hearing": ["missed_hearing_on"],
    "ice_check_ins": ["next_ice_check_in"],
    "prior_asylum_application": [
        "prior_asylum_filed_on", "prior_asylum_outcome", "prior_asylum_details",
    ],
}


def test_questions_that_hang_on_a_box_are_grouped_for_the_script(client):
    """static/js/intake.js hides each [data-show-if] group while the box it names is unticked."""
    walk(client, {"consent": answers()["consent"]})
    page = client.get("/intake/step/arrival/").content.decode()
    assert "[data-show-if]" in Path(settings.BASE_DIR, "static/js/intake.js").read_text()
    for box, questions in CONDITIONAL.items():
        box_id = f"id_status-{box}"
        assert the(page, "input", {"id": box_id, "type": "checkbox"})
        group = the(page, "div", {"data-show-if": box_id})
        assert classes(group) == {"conditional"}
        inside = str(group)
        assert f'id="{box_id}"' not in inside
        for name in questions:
            assert f'id="id_status-{name}"' in inside, name
    # The parole or TPS end date hangs on the status select's values.
    group = the(page, "div", {"data-show-if": "id_status-current_status",
                              "data-show-values": "parole tps"})
    assert 'id="id_status-status_ends_on"' in str(group)
    groups = elements(page, "div", {"class": "conditional"})
    assert len(groups) == len(CONDITIONAL) + 1
    assert not any('id="id_status-a_number"' in str(group) for group in groups)


def test_each_section_is_a_fieldset_with_its_legend(client):
    walk(client, {"consent": answers()["consent"]})
    page = client.get("/intake/step/arrival/").content.decode()
    legends = [text(legend) for legend in elements(page, "legend")]
    for legend in ("Your journey and status", "Detention", "Immigration court",
                   "Earlier applications", "Entry to the US 1"):
        assert legend in legends


def test_the_grounds_do_not_steer_refusing_to_fight_into_a_social_group(client):
    """Refusing the draft is named beside the political opinion (and religion), for the
    lawyer to weigh; the social group's examples no longer list it."""
    walk(client, {"consent": answers()["consent"]})
    page = client.get("/intake/step/claim/").content.decode()
    social = text(the(page, "label", {"for": "id_claim-ground_social_group"}))
    assert "social group" in social and "draft" not in social and "fight" not in social
    box = the(page, "input", {"id": "id_claim-ground_political_opinion"})
    helptext_id = "id_claim-ground_political_opinion_helptext"
    assert helptext_id in dict(box.attributes)["aria-describedby"].split()
    note = text(the(page, "div", {"id": helptext_id}))
    assert note.startswith("Refusing to fight in a war can be about your political opinion")
    assert "religion" in note and "international law" in note

def test_an_error_shows_beside_its_field_and_links_from_the_summary(client):
    walk(client, {"consent": answers()["consent"], "about": answers()["about"]})
    arrival = {**answers()["arrival"], "status-detained": "on", "entries-0-date": "2099-01-01"}
    response = client.post("/intake/step/arrival/", {**arrival, "action": "next"})
    assert response.status_code == 200
    page = response.content.decode()
    summary = the(page, "div", {"id": "error-summary"})
    for field_id, message in (
        ("id_status-detention_facility", "Please tell us where you are detained."),
        ("id_entries-0-date", "This date is in the future. Please check it."),
    ):
        assert f'href="#{field_id}"' in str(summary) and message in text(summary)
        field = the(page, "input", {"id": field_id})
        attrs = dict(field.attributes)
        assert attrs["aria-invalid"] == "true" and "is-invalid" in classes(field)
        assert f"{field_id}_error" in attrs["aria-describedby"].split()
        beside = the(page, "div", {"id": f"div_{field_id}"})
        assert message in text(the(str(beside), "div", {"id": f"{field_id}_error"}))


def test_a_required_question_carries_the_mark_and_an_optional_one_does_not(client):
    walk(client, {"consent": answers()["consent"]})
    page = client.get("/intake/step/about/").content.decode()
    required = the(page, "label", {"for": "id_about-family_name"})
    optional = the(page, "label", {"for": "id_about-other_names"})
    assert '<span class="asteriskField">' in str(required)
    assert "asteriskField" not in str(optional)
    assert ".asteriskField" in Path(settings.BASE_DIR, "static/css/site.css").read_text()


def test_dates_are_date_inputs_uploads_say_what_they_accept_and_courts_are_listed(client):
    steps = answers()
    walk(client, steps)
    about = client.get("/intake/step/about/").content.decode()
    assert the(about, "input", {"id": "id_about-date_of_birth", "type": "date"})
    arrival = client.get("/intake/step/arrival/").content.decode()
    for name in ("entries-0-date", "status-notice_to_appear_date", "status-next_hearing_date",
                 "status-judge_filing_deadline"):
        assert the(arrival, "input", {"id": f"id_{name}", "type": "date"}), name
    courts = the(arrival, "select", {"id": "id_status-hearing_court"})
    names = [text(option) for option in elements(str(courts), "option")]
    assert names[1:] == [str(c) for c in Court.objects.filter(active=True)]
    chosen = elements(str(courts), "option", {"selected": None})
    chosen_values = [dict(option.attributes)["value"] for option in chosen]
    assert chosen_values == [steps["arrival"]["status-hearing_court"]]
    documents = client.get("/intake/step/documents/").content.decode()
    upload = the(documents, "input", {"type": "file"})
    assert dict(upload.attributes)["accept"] == ".pdf,.jpg,.jpeg,.png"


def test_rows_keep_their_add_and_remove_buttons_without_javascript(client):
    family = {**answers()["family"], "family-TOTAL_FORMS": "2", "family-1-relationship": "child",
              "family-1-family_name": "Politov", "family-1-given_names": "Ivan",
              "family-1-marital_status": "single"}
    walk(client, answers(family=family))
    page = client.get("/intake/step/family/").content.decode()
    for row in (0, 1):
        fieldset = the(page, "fieldset", {"id": f"family-row-{row}"})
        assert f"Family member {row + 1}" in text(the(str(fieldset), "legend", {}))
        assert f'name="family-{row}-family_name"' in str(fieldset)
        assert the(str(fieldset), "button", {"value": f"remove:family:{row}"})
    assert the(page, "button", {"value": "add:family", "type": "submit"})
    arrival = client.get("/intake/step/arrival/").content.decode()
    assert not elements(arrival, "button", {"value": "remove:entries:0"})  # one entry at least
    assert the(arrival, "button", {"value": "add:entries"})


def test_hostile_answers_come_back_escaped_and_marked_invalid():
    form = intake_forms.AboutYouForm(
        data={name: HOSTILE for name in answers()["about"]}, prefix="about"
    )
    assert not form.is_valid()
    html = rendered(form)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    date = the(html, "input", {"id": "id_about-date_of_birth"})
    assert {"form-control", "is-invalid"} <= classes(date)
    assert dict(date.attributes)["aria-invalid"] == "true"


def test_templates_and_widgets_come_from_djangos_cached_loader():
    loaders = engines["django"].engine.loaders
    assert loaders[0][0] == "django.template.loaders.cached.Loader"
    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
