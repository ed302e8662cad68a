"""Forms of the case page's preparation panel: the documents the firm asks the client for."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms

from .choices import RequestedDocument

NOTE_MAX = 300
EXAMPLE_NOTE = "e.g. all pages, including blank ones"


class DocumentRequestForm(forms.Form):
    """A tick for each kind of document, each with an optional note the client will read."""

    def __init__(self, *args, waiting=(), **kwargs):
        kwargs.setdefault("auto_id", "id_docreq_%s")  # other forms on the page have "note"
        super().__init__(*args, **kwargs)
        self.waiting = set(waiting)
        rows = []
        for kind, label in RequestedDocument.choices:
            self.fields[f"kind_{kind}"] = forms.BooleanField(required=False, label=label)
            self.fields[f"note_{kind}"] = forms.CharField(
                required=False, max_length=NOTE_MAX, label=f"Note for the client: {label}",
                widget=forms.TextInput(attrs={"placeholder": EXAMPLE_NOTE}),
            )  # fmt: skip
            rows.append(Div(f"kind_{kind}", f"note_{kind}", css_class="docreq-kind"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Fieldset("Documents to ask for", *rows))

    def clean(self):
        data = super().clean()
        requested = {}
        for kind, label in RequestedDocument.choices:
            if not data.get(f"kind_{kind}"):
                if (data.get(f"note_{kind}") or "").strip():
                    self.add_error(f"kind_{kind}", "Tick it to ask for it (or clear its note).")
                continue
            # "Other document" may be asked for more than once, each with its own note.
            if kind in self.waiting and kind != RequestedDocument.OTHER:
                self.add_error(f"kind_{kind}", f"{label}: already asked for and waiting.")
                continue
            requested[kind] = (data.get(f"note_{kind}") or "").strip()
        if not requested and not self.errors:
            raise forms.ValidationError("Tick at least one document to ask for.")
        data["requested"] = requested
        return data
