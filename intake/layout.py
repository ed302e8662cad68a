"""How a wizard form looks on the page: its fieldsets, the questions shown only when a box
is ticked, and Bootstrap's classes on each input.

templates/intake/_form.html and _field.html render what this describes. The public wizard
renders its fields with these two small templates instead of crispy-forms' layouts (still
used on the staff pages): crispy's per-field templates cost more than half of a wizard
page's server time (bench/intake_profile.py).
"""

import time

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import get_language

from .widgets import IntakeFormRenderer


class ShowIf:
    """Questions that apply only when the checkbox `checkbox` (a field of the same form) is
    ticked; static/js/intake.js hides them otherwise, the form's clean() drops their answers."""

    def __init__(self, checkbox: str, *fields: str):
        self.checkbox = checkbox
        self.fields = fields


class Section:
    """A fieldset with its legend; its items are field names or ShowIf groups."""

    def __init__(self, legend, *items):
        self.legend = legend
        self.items = items


class BootstrapBoundField(BoundField):
    """Adds Bootstrap 5's class for the kind of input, and is-invalid when it has errors.
    Django itself adds required, aria-invalid and aria-describedby (help text, errors)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class') or widget.attrs.get('class', '')} {css}".strip()
        return attrs


class LaidOutForm:
    """Mixin for the wizard's forms: `layout` lists Sections; without one, every field is
    shown in order, without a fieldset."""

    bound_field_class = BootstrapBoundField
    default_renderer = IntakeFormRenderer()
    template_name = "intake/_form.html"
    layout: tuple[Section, ...] = ()
    # Not yet answered, a form of this class looks the same to every client in a language,
    # so its HTML is kept (blank_html). Off for a form that shows the client's own data.
    share_blank_html = True

    def render(self, template_name=None, context=None, renderer=None):
        if self.is_bound or not self.share_blank_html or template_name or context or renderer:
            return super().render(template_name, context, renderer)
        return blank_html(self, super().render)

    __str__ = __html__ = render  # Django's RenderableMixin binds these to its own render

    def sections(self) -> list[dict]:
        if not self.layout:
            return [{"legend": "", "groups": [{"shown_by": "", "fields": list(self)}]}]
        return [
            {"legend": section.legend, "groups": self._groups(section.items)}
            for section in self.layout
        ]

    def _groups(self, items) -> list[dict]:
        groups, plain = [], []
        for item in items:
            if isinstance(item, ShowIf):
                if plain:
                    groups.append({"shown_by": "", "fields": plain})
                    plain = []
                groups.append(
                    {
                        "shown_by": self[item.checkbox].auto_id,
                        "fields": [self[name] for name in item.fields],
                    }
                )
            else:
                plain.append(self[item])
        if plain:
            groups.append({"shown_by": "", "fields": plain})
        return groups


# Blank forms' HTML, by form, language and initial values. In a surge hundreds of new clients
# open the same empty steps; a court added or renamed in the admin shows within
# BLANK_HTML_SECONDS in every process (at once in the one that saved it: intake.signals).
BLANK_HTML_SECONDS = 300
BLANK_HTML_MAX = 500
_blank_html: dict[tuple, str] = {}


def blank_html(form, render) -> str:
    initial = tuple(sorted((name, str(value)) for name, value in form.initial.items()))
    period = int(time.time() // BLANK_HTML_SECONDS)
    looks = (form.prefix, form.auto_id, form.label_suffix, form.use_required_attribute)
    key = (type(form), looks, get_language(), initial, period)
    html = _blank_html.get(key)
    if html is None:
        if len(_blank_html) >= BLANK_HTML_MAX:
            _blank_html.clear()  # old periods, or more languages and forms than there are
        html = _blank_html[key] = render()
    return html


def blank_html_forget() -> None:
    _blank_html.clear()
