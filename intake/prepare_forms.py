"""Forms of the client's secure link (intake:prepare): the second check, the uploads the
firm asked for, and the request for a new link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DocumentUploadForm, ResumeCheckForm
from .layout import WizardForm


class BirthDateForm(ResumeCheckForm):
    """The date of birth on the client's record, as the resume link asks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, ask_email=False, **kwargs)


class CodeForm(WizardForm, forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code from the e-mail"),
        max_length=20,  # spaces and dashes as some mail apps show it; six digits remain
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if ch not in " -")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits of the code we e-mailed you."))
        return code


class RequestedUploadForm(DocumentUploadForm):
    """One document the firm asked for: its kind is the request's, so only the file is
    asked; the file is judged exactly as on the intake's documents step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class NewLinkForm(WizardForm, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The address the firm has for you."),
    )
