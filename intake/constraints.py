"""Check constraints that model validation checks in Python instead of asking the database.

Django checks a CheckConstraint during a form's validation by building a query with every
field of the model as a value and sending it to the database: for the client's three
constraints that was half the time of checking the wizard's forms, on every step saved, the
review page and the submit (bench/intake_profile.py). Ours are plain comparisons of the
row's own fields (`exact` and `isnull`, combined with &, | and ~), which Python answers the
same way, NULL included; anything else still goes to the database. The database enforces
the constraint on every save either way: only the early, friendly check is done here.
tests/test_constraints.py compares both answers over every combination of values.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class PythonCheckConstraint(models.CheckConstraint):
    def validate(self, model, instance, exclude=None, using=None):
        try:
            holds = _holds(Q(self.condition), model._meta, instance, exclude or set())
        except _Unsupported:
            return super().validate(model, instance, exclude=exclude, using=using)
        except _Excluded:
            return None  # as Django does: a constraint on a field not being checked waits
        if holds is False:  # NULL (None) passes, as in SQL
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )
        return None

    def deconstruct(self):
        # The same constraint in the database and in migrations as Django's own.
        path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs


class _Unsupported(Exception):
    pass


class _Excluded(Exception):
    pass


def _holds(q: Q, meta, instance, exclude) -> bool | None:
    """SQL's three-valued answer of `q` for this row: True, False or None (NULL)."""
    answers = [
        _holds(child, meta, instance, exclude)
        if isinstance(child, Q)
        else _compare(child, meta, instance, exclude)
        for child in q.children
    ]
    if q.connector == Q.AND:
        answer = False if False in answers else (None if None in answers else True)
    else:
        answer = True if True in answers else (None if None in answers else False)
    if q.negated and answer is not None:
        answer = not answer
    return answer


def _compare(child, meta, instance, exclude) -> bool | None:
    lookup, expected = child
    name, _, kind = lookup.partition("__")
    if kind not in ("", "exact", "isnull") or hasattr(expected, "resolve_expression"):
        raise _Unsupported(lookup)
    if name in exclude:
        raise _Excluded(name)
    field = meta.get_field(name)
    value = field.get_prep_value(getattr(instance, field.attname))
    if kind == "isnull":
        return (value is None) is bool(expected)
    if expected is None:  # Django turns `field=None` into `field__isnull=True`
        return value is None
    if value is None:
        return None
    return value == field.get_prep_value(expected)
