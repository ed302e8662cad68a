"""E-mails to prospective clients, in their own language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_resume_link(*, to: str, link: str, draft) -> None:
    with translation.override(draft.language):
        context = {"link": link, "days": settings.INTAKE_RESUME_DAYS}
        subject = render_to_string("intake/emails/resume_link_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("intake/emails/resume_link.txt", context),
            to=[to],
        )
        html = render_to_string("intake/emails/resume_link.html", context)
        message.attach_alternative(html, "text/html")
        message.send()
