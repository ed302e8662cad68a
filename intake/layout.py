"""How a wizard form looks on the page: crispy-forms layouts in the Bootstrap 5 pack.

Each step template holds its own <form> tag, CSRF token, anti-automation guard and buttons
(templates/intake/step_form.html), so a form's helper renders only its questions:
`{% crispy form %}`.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout


class WizardForm:
    """Mixin for the wizard's forms: `layout()` says how the questions are grouped; without
    one, crispy shows every field in order, without a fieldset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the step template's <form> holds every form of a step
        self.helper.disable_csrf = True  # ... and its one CSRF token
        layout = self.layout()
        if layout is not None:
            self.helper.layout = layout

    def layout(self) -> Layout | None:
        return None

    def show_if(self, checkbox: str, *fields: str) -> Div:
        """Questions that apply only when the box `checkbox` (a field of this form) is
        ticked: static/js/intake.js hides a `data-show-if` group while the box with that id
        is unticked, and the form's clean() drops their answers. The id carries the form's
        prefix, so it is read from the bound field."""
        return Div(*fields, css_class="conditional", data_show_if=self[checkbox].auto_id)
