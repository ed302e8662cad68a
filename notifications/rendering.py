"""E-mails rendered from templates: `<name>_subject.txt`, `<name>.txt`, `<name>.html`."""

from django.template.loader import render_to_string


def email_render(template: str, context: dict, *, html: bool = True) -> tuple[str, str, str]:
    """Subject on one line, the plain text, and the HTML ('' when html=False)."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    return subject, text, render_to_string(f"{template}.html", context) if html else ""
