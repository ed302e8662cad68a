"""The secure link's second check (intake:prepare): the client's date of birth, then a
one-time code e-mailed to the address on record. Both pass, and the link belongs to this
browser session alone (intake.prepare_access.bind).

Wrong answers of either kind count together, and a right one never resets them: with
PREPARATION_CHECK_TRIES wrong answers the link is spent, whoever knows the date of birth.
The code is minted when the worker sends its e-mail (notifications.outbox late_body), so
only its keyed hash is ever stored, on the link, with the moment it was sent.
"""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from cases.models import PreparationLink, link_token_hash
from cases.preparation_links import client_event_record, preparation_open
from notifications.models import Email, EmailKind
from notifications.outbox import email_queue, late_body
from notifications.rendering import email_render

from .prepare_access import link_is_live

CODE_TEMPLATE = "intake/emails/prepare_code"
# Codes e-mailed for one link at most: a person who knows the date of birth must not be
# able to fill the client's inbox.
MOST_CODES = 10

RIGHT, WRONG, EXPIRED, SPENT = "right", "wrong", "expired", "spent"


def link_works(link: PreparationLink) -> bool:
    """Not expired, replaced or spent, and the case still being prepared."""
    return (
        link_is_live(link)
        and link.failures < settings.PREPARATION_CHECK_TRIES
        and preparation_open(link.case)
    )


def link_for_token(token: str) -> PreparationLink | None:
    """The link `token` opens, or None: the same None for an unknown, expired, replaced or
    spent link, so a page can say nothing about which."""
    link = (
        PreparationLink.objects.select_related("case__client")
        .filter(token_hash=link_token_hash(token))
        .first()
    )
    return link if link is not None and link_works(link) else None


def tries_left(link: PreparationLink) -> int:
    return max(settings.PREPARATION_CHECK_TRIES - link.failures, 0)


def _locked(link: PreparationLink) -> PreparationLink:
    return PreparationLink.objects.select_for_update().select_related("case__client").get(
        pk=link.pk
    )


def _code_hash(link_id: int, code: str) -> str:
    return salted_hmac("intake.prepare-code", f"{link_id}:{code}", algorithm="sha256").hexdigest()


def _wrong(link: PreparationLink, what: str) -> str:
    link.failures += 1
    link.save(update_fields=["failures"])
    spent = link.failures >= settings.PREPARATION_CHECK_TRIES
    client_event_record(link=link, what=f"{what}; link spent" if spent else what,
                        failures=link.failures)  # fmt: skip
    return SPENT if spent else WRONG


@transaction.atomic
def birth_date_check(*, link: PreparationLink, given) -> str:
    """RIGHT (and a code is on its way), WRONG or SPENT."""
    link = _locked(link)
    if not link_works(link) or link.verified_at:
        return SPENT
    if given != link.case.client.date_of_birth:
        return _wrong(link, "wrong date of birth")
    if not code_queue(link=link):
        client_event_record(link=link, what="date of birth right; no more codes sent")
        return SPENT
    client_event_record(link=link, what="date of birth right; code sent")
    return RIGHT


def code_queue(*, link: PreparationLink) -> bool:
    """Queue the code's e-mail in the caller's transaction; False when MOST_CODES went."""
    sent = Email.objects.filter(kind=EmailKind.PREPARATION_CODE, late_body__link_id=link.pk)
    if sent.count() >= MOST_CODES:
        return False
    client = link.case.client
    with translation.override(client.preferred_language):
        subject, _text, _html = email_render(CODE_TEMPLATE, _code_context(""), html=False)
    email_queue(to=client.email, subject=subject, kind=EmailKind.PREPARATION_CODE,
                case_id=link.case_id, language=client.preferred_language,
                late={"link_id": link.pk})  # fmt: skip
    return True


@late_body(EmailKind.PREPARATION_CODE)
def code_body(ids: dict) -> tuple[str, str, str] | None:
    """A new code for the link (an earlier one stops working), or None once the link no
    longer works or is already verified."""
    with transaction.atomic():
        link = (
            PreparationLink.objects.select_for_update()
            .select_related("case__client")
            .filter(pk=ids.get("link_id"))
            .first()
        )
        if link is None or not link_works(link) or link.verified_at:
            return None
        code = f"{secrets.randbelow(10**6):06d}"
        link.code_hash = _code_hash(link.pk, code)
        link.code_sent_at = timezone.now()
        link.save(update_fields=["code_hash", "code_sent_at"])
    with translation.override(link.case.client.preferred_language):
        return email_render(CODE_TEMPLATE, _code_context(code))


def _code_context(code: str) -> dict:
    return {"code": code, "minutes": settings.PREPARATION_CODE_MINUTES,
            "firm_name": settings.FIRM_NAME}  # fmt: skip


@transaction.atomic
def code_check(*, link: PreparationLink, code: str, bind) -> str:
    """RIGHT (and `bind(link)` has made the link this session's, saved with it), WRONG,
    EXPIRED (not counted: an expired code opens nothing) or SPENT."""
    link = _locked(link)
    if not link_works(link) or link.verified_at:
        return SPENT
    valid_for = timedelta(minutes=settings.PREPARATION_CODE_MINUTES)
    if not link.code_hash or link.code_sent_at is None or (
        timezone.now() - link.code_sent_at > valid_for
    ):
        return EXPIRED
    if not hmac.compare_digest(_code_hash(link.pk, code), link.code_hash):
        return _wrong(link, "wrong code")
    bind(link)  # sets verified_at and session_nonce
    link.code_hash = ""  # one time
    link.save(update_fields=["verified_at", "session_nonce", "code_hash"])
    client_event_record(link=link, what="verified on this device")
    return RIGHT


def masked_address(address: str) -> str:
    """j***@example.com: enough for the client to recognise, not to learn it from."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
