"""Country questions (nationality, country of birth): django-countries' field, made cheap.

django-countries hands Django its choices as a callable, so every form field, widget and
model check re-sorts and re-normalises all 250 countries: a few milliseconds for each
country question on each wizard page (bench/intake_profile.py). Here the sorted list is
built once per language, and the model checks a code with a dictionary lookup.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django_countries import countries
from django_countries.fields import CountryField


def country_choices() -> list[tuple[str, str]]:
    """An empty choice, then every country sorted by its name in the active language."""
    return _country_choices(translation.get_language())


@lru_cache(maxsize=16)
def _country_choices(language: str) -> list[tuple[str, str]]:
    with translation.override(language):
        return [("", "---------"), *((code, str(name)) for code, name in countries)]


class CountryChoices(BaseChoiceIterator):
    """country_choices() of whatever language is active when a form is shown or checked;
    Django passes a BaseChoiceIterator through as it is."""

    def __iter__(self):
        return iter(country_choices())


class CountryCodeField(CountryField):
    def validate(self, value, model_instance):
        if value not in self.empty_values and value not in self.countries:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        if not self.blank and value in self.empty_values:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.choices = CountryChoices()
        return field
