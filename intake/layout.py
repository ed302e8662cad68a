"""How a wizard form looks on the page: its fieldsets, the questions shown only when a box
is ticked, and Bootstrap's classes on each input.

templates/intake/_form.html and _field.html render what this describes. The public wizard
renders its fields with these two small templates instead of crispy-forms' layouts (still
used on the staff pages): crispy's per-field templates cost more than half of a wizard
page's server time (bench/intake_profile.py).
"""

from django import forms
from django.forms.boundfield import BoundField

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
    layout: tuple[Section, ...] = ()

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
