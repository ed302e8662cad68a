"""Inputs of the public wizard rendered in Python: Django renders every widget through two or
three templates (and a select through one more per option), and each question (label, input,
errors, help) through one more, which cost most of a wizard page's server time
(bench/intake_profile.py). The HTML is the same as the templates give, character for
character; tests/test_intake_widgets.py compares the two."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: dict) -> str:
    """django/forms/widgets/input.html, which text, email, date, checkbox... include."""
    widget = context["widget"]
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(context: dict) -> str:
    widget = context["widget"]
    name = conditional_escape(widget["name"])
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html, whose own line end is kept by its include."""
    value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
    return f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n'


def _select(context: dict) -> str:
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts += [_option(option) for option in options]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _field(context: dict) -> str:
    """templates/intake/_field.html: one question with its label, errors and help."""
    field = context["field"]
    if field.is_hidden:
        return str(field)
    auto_id, label = conditional_escape(field.auto_id), conditional_escape(field.label)
    for_label = conditional_escape(field.id_for_label)
    checkbox = field.widget_type == "checkbox"
    parts = [f'\n<div id="div_{auto_id}" class="mb-3{" form-check" if checkbox else ""}">\n']
    if checkbox:
        parts.append(f'{field} <label for="{for_label}" class="form-check-label">{label}</label>\n')
    else:
        mark = '<span class="required-mark" aria-hidden="true">*</span>'
        required = mark if field.field.required else ""
        parts.append(
            f'<label for="{for_label}" class="form-label">{label}{required}</label> {field}\n'
        )
    parts.append("\n")
    if field.errors:
        errors = "".join(
            f'<strong class="d-block">{conditional_escape(error)}</strong>'
            for error in field.errors
        )
        parts.append(f'<div id="{auto_id}_error" class="invalid-feedback">{errors}</div>')
    parts.append("\n")
    if field.help_text:
        help_text = conditional_escape(field.help_text)
        parts.append(f'<div id="{auto_id}_helptext" class="form-text">{help_text}</div>')
    parts.append("\n</div>\n")
    return "".join(parts)


PYTHON_TEMPLATES = {
    "intake/_field.html": _field,
    **{
        f"django/forms/widgets/{kind}.html": _input
        for kind in ("input", "text", "email", "date", "number", "url", "checkbox", "hidden",
                     "file")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class IntakeFormRenderer(TemplatesSetting):
    """The project's templates (Django's widgets, templates/intake/_field.html), except for
    the plain widgets and the question above."""

    field_template_name = "intake/_field.html"

    def render(self, template_name, context, request=None):
        render = PYTHON_TEMPLATES.get(template_name)
        widget = context.get("widget")
        if render is None or (widget is not None and not _plain_options(widget)):
            return super().render(template_name, context, request)
        return mark_safe(render(context).strip())


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == "django/forms/widgets/select_option.html"
        for _name, options, _index in widget.get("optgroups", ())
        for option in options
    )


SELECTED, NOT_SELECTED = {"selected": True}, {}


class FastSelect(forms.Select):
    """A long select (countries, courts) without Django's option machinery (a context per
    option from create_option): the same HTML as forms.Select, in a third of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            chosen_attrs = SELECTED if option_value in chosen else NOT_SELECTED
            options.append({"value": option_value, "label": label, "attrs": chosen_attrs})
        widget = {"name": name, "attrs": self.build_attrs(self.attrs, attrs),
                  "optgroups": [(None, options, 0)]}  # fmt: skip
        return mark_safe(_select({"widget": widget}))
