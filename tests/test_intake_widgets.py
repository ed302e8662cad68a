"""The wizard's questions and inputs, rendered in Python for speed (intake/widgets.py), are the
same HTML, character for character, as templates/intake/_field.html and Django's own widget
templates give: for every field of every wizard form, empty, filled with markup, and with
errors."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation

from intake import forms as intake_forms
from intake.widgets import FastSelect

from .intake_data import answers

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\""

WIZARD_FORMS = {
    "consent": (intake_forms.ConsentForm, {}),
    "about": (intake_forms.AboutYouForm, {}),
    "entries-0": (intake_forms.EntryForm, {}),
    "status": (intake_forms.ArrivalForm, {}),
    "family-0": (intake_forms.FamilyMemberForm, {}),
    "claim": (intake_forms.ClaimForm, {}),
    "documents": (intake_forms.DocumentUploadForm, {}),
    "resume": (intake_forms.ResumeLinkForm, {}),
}


class TemplateRenderer(TemplatesSetting):
    field_template_name = "intake/_field.html"


def as_django_renders_it(form_class, **kwargs):
    """The same form with Django's template renderer and its stock Select."""
    form = form_class(renderer=TemplateRenderer(), **kwargs)
    for field in form.fields.values():
        if isinstance(field.widget, FastSelect):
            field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
    return form


def posted_answers() -> dict[str, str]:
    return {name: value for step in answers().values() for name, value in step.items()}


def hostile_answers() -> dict[str, str]:
    """Markup in every field, and ticked boxes, so that nothing escapes unescaped."""
    return {name: HOSTILE for name in posted_answers()}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("data", [None, "valid", "hostile"])
@pytest.mark.parametrize("prefix", WIZARD_FORMS)
def test_python_rendered_inputs_match_djangos_templates(prefix, data, language):
    form_class, kwargs = WIZARD_FORMS[prefix]
    bound = {"valid": posted_answers, "hostile": hostile_answers}.get(data, lambda: None)()
    with translation.override(language):
        ours = form_class(data=bound, prefix=prefix, **kwargs)
        theirs = as_django_renders_it(form_class, data=bound, prefix=prefix, **kwargs)
        if bound:
            ours.is_valid(), theirs.is_valid()
        assert list(ours.fields) == list(theirs.fields)
        for name in ours.fields:
            assert str(ours[name]) == str(theirs[name]), f"{prefix}-{name}"
            assert ours[name].as_field_group() == theirs[name].as_field_group(), name


def test_hostile_answers_come_back_escaped_and_marked_invalid():
    form = intake_forms.AboutYouForm(data=hostile_answers(), prefix="about")
    assert not form.is_valid()
    html = str(form["family_name"]) + str(form["date_of_birth"]) + str(form["nationality"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert 'class="form-control is-invalid"' in str(form["date_of_birth"])
    assert 'aria-invalid="true"' in str(form["date_of_birth"])
