"""The password-reset e-mail, made by the worker: the request only hands over the address,
so it costs the same whether or not the address has an account (no timing to read)."""

from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

SUBJECT = "registration/password_reset_subject.txt"
BODY = "registration/password_reset_email.html"


def reset_link_context() -> dict:
    """Everything the reset e-mail's templates know of the site: SITE_URL, never a Host."""
    site = urlsplit(settings.SITE_URL)
    return {"domain_override": site.netloc, "use_https": site.scheme == "https",
            "extra_email_context": {"site_url": settings.SITE_URL.rstrip("/")}}  # fmt: skip


@shared_task
def send_password_reset(email: str) -> None:
    # Run twice, it sends a second link; each one works once, and the older is not spoiled.
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(subject_template_name=SUBJECT, email_template_name=BODY,
                  **reset_link_context())  # fmt: skip
