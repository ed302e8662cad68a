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

    def show_if(self, control: str, *fields: str, values=()) -> Div:
        """Questions that apply only when the box `control` (a field of this form) is ticked,
        or, with `values`, when the select `control` holds one of them: static/js/intake.js
        hides a `data-show-if` group otherwise, and the form's clean() drops their answers.
        The id carries the form's prefix; `control` may be a field of another form of the
        step that shares the prefix (the claim and its military details)."""
        extra = {"data_show_values": " ".join(values)} if values else {}
        control_id = self.auto_id % self.add_prefix(control)
        return Div(*fields, css_class="conditional", data_show_if=control_id, **extra)
