"""Forms on the case page; each carries the case version the user saw."""

from django import forms
from django.contrib.auth import get_user_model

from intake.models import AsylumClaim

from .models import Priority, Stage
from .workflow import allowed_transitions


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StageForm(VersionedForm):
    to_stage = forms.ChoiceField(label="Move to")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["to_stage"].choices = [(s, labels[s]) for s in allowed_transitions(case.stage)]


class AssignForm(VersionedForm):
    attorney = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Unassigned"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attorney"].queryset = get_user_model().objects.filter(
            groups__name="attorneys", is_active=True
        ).order_by("username")


class PriorityForm(VersionedForm):
    level = forms.ChoiceField(
        choices=[("", "As assessed by triage")] + Priority.choices, required=False
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000, label="Why")  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("level") and not data.get("note", "").strip():
            self.add_error("note", "Say why you change the level the triage gave.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000,
                           label="Note")  # fmt: skip


class TranslationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = AsylumClaim
        fields = [f"{name}_en" for name in AsylumClaim.NARRATIVE_FIELDS]
        widgets = {f"{name}_en": forms.Textarea(attrs={"rows": 3})
                   for name in AsylumClaim.NARRATIVE_FIELDS}  # fmt: skip
