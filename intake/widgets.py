"""A select that renders its options in Python: long lists (countries, courts) rendered
through one template per option cost most of a wizard page's time."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        chosen.discard("None")
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(
                f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>'
            )
        body = "".join(options)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{body}</select>')
