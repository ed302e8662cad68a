"""Writes for the client's secure link (intake:prepare) and the documents the firm asks for.

The attorney or paralegal asks for documents and sends the link from the case page; the
client's side (intake) records what the client did through the functions at the end. The
link's token is minted only when the worker sends the e-mail (notifications.outbox
late_body), as the resume link's is: the link keeps a hash, the outbox row only the link's
id, so no token is ever stored; a resend mints a new one and the earlier e-mail's stops.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Email, EmailKind
from notifications.outbox import email_queue, late_body
from notifications.rendering import email_render

from .choices import DocumentKind, RequestedDocument
from .emails import triage_recipients
from .models import Case, CaseAccess, Document, DocumentRequest, PreparationLink, Stage
from .models.preparation import link_token_hash
from .services import NotAllowed, access_record

# Retained or later, and still the firm's: the client has something to prepare.
PREPARATION_STAGES = (Stage.RETAINED, Stage.PREPARING, Stage.FILED, Stage.AWAITING)
# What a requested document is filed as among the client's documents.
DOCUMENT_KIND = {RequestedDocument.MOBILISATION_NOTICE: DocumentKind.MILITARY}
LINK_TEMPLATE = "cases/emails/preparation_link"
ASKED_TEMPLATE = "cases/emails/new_link_asked"
# A stranger who knows a client's address must not flood the firm's inbox: one notice per
# case in this many hours, whatever the form is sent.
ASKED_NOTICE_HOURS = 1


class NoClientEmail(NotAllowed):
    def __init__(self):
        super().__init__("The client has no e-mail address on record: add one (contact "
                         "details) before sending the secure link.")  # fmt: skip


class NotPreparing(NotAllowed):
    def __init__(self):
        super().__init__("The client's secure link and document requests are for a case "
                         "retained or later, and not closed, declined or merged.")  # fmt: skip


def preparation_open(case: Case) -> bool:
    """Whether the case is at a stage where the firm prepares the application with the
    client (the panel's forms, and the client's link working at all)."""
    return case.stage in PREPARATION_STAGES and not case.merged_into_id


def may_request_documents(user, case: Case) -> bool:
    return user.has_perm("cases.add_documentrequest") and preparation_open(case)


def may_send_link(user, case: Case) -> bool:
    return user.has_perm("cases.add_preparationlink") and preparation_open(case)


def _refuse_unless(allowed: bool, case: Case) -> None:
    if not preparation_open(case):
        raise NotPreparing
    if not allowed:
        raise NotAllowed


@transaction.atomic
def document_request_add(*, case: Case, requested: dict[str, str], by) -> list[DocumentRequest]:
    """Ask the client for the documents in `requested` (kind -> note, "" for none)."""
    _refuse_unless(by.has_perm("cases.add_documentrequest"), case)
    made = [
        DocumentRequest.objects.create(case=case, kind=kind, note=note[:300], requested_by=by)
        for kind, note in requested.items()
    ]
    access_record(case=case, user=by, action=CaseAccess.Action.DOCUMENT_REQUEST, detail={
        "added": [{"request": r.pk, "kind": r.kind} for r in made],
    })  # fmt: skip
    return made


@transaction.atomic
def document_request_cancel(*, document_request: DocumentRequest, by) -> DocumentRequest:
    """The firm no longer needs it; a received document stays received."""
    case = document_request.case
    _refuse_unless(by.has_perm("cases.change_documentrequest"), case)
    cancelled = DocumentRequest.objects.filter(
        pk=document_request.pk, fulfilled_at=None, cancelled_at=None
    ).update(cancelled_at=timezone.now())
    if not cancelled:
        raise NotAllowed("This request was already received or cancelled.")
    document_request.refresh_from_db()
    access_record(case=case, user=by, action=CaseAccess.Action.DOCUMENT_REQUEST, detail={
        "cancelled": document_request.pk, "kind": document_request.kind,
    })  # fmt: skip
    return document_request


@transaction.atomic
def preparation_link_send(*, case: Case, by) -> PreparationLink:
    """A new link for the client, e-mailed to the address on record in their language; every
    earlier link of the case stops working now. Expires after PREPARATION_LINK_DAYS."""
    _refuse_unless(by.has_perm("cases.add_preparationlink"), case)
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    client = case.client
    if not client.email:
        raise NoClientEmail
    now = timezone.now()
    revoked = list(
        case.preparation_links.filter(revoked_at=None).values_list("pk", flat=True)
    )
    PreparationLink.objects.filter(pk__in=revoked).update(revoked_at=now)
    link = PreparationLink.objects.create(
        case=case,
        # A stand-in: the token the client gets is minted when the e-mail is sent.
        token_hash=link_token_hash(PreparationLink.new_token()),
        created_by=by,
        expires_at=now + timedelta(days=settings.PREPARATION_LINK_DAYS),
    )
    with translation.override(client.preferred_language):
        subject, _text, _html = email_render(LINK_TEMPLATE, _link_context(link, ""), html=False)
    email = email_queue(
        to=client.email, subject=subject, kind=EmailKind.PREPARATION_LINK, case_id=case.pk,
        language=client.preferred_language, late={"link_id": link.pk},
    )  # fmt: skip
    access_record(case=case, user=by, action=CaseAccess.Action.PREPARATION_LINK, detail={
        "link": link.pk, "email": email.pk, "revoked": revoked,
    })  # fmt: skip
    return link


def link_token_issue(*, link: PreparationLink) -> str:
    """A new token for `link` (the earlier one stops working); only its hash is kept."""
    token = PreparationLink.new_token()
    link.token_hash = link_token_hash(token)
    PreparationLink.objects.filter(pk=link.pk).update(token_hash=link.token_hash)
    return token


@late_body(EmailKind.PREPARATION_LINK)
def preparation_link_body(ids: dict) -> tuple[str, str, str] | None:
    """The e-mail with a freshly minted token, or None once the link no longer works."""
    link = (
        PreparationLink.objects.select_related("case__client")
        .filter(pk=ids.get("link_id"), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not preparation_open(link.case):
        return None
    token = link_token_issue(link=link)
    # Built from SITE_URL, never from a request's Host.
    url = settings.SITE_URL.rstrip("/") + reverse("intake:prepare", args=[token])
    with translation.override(link.case.client.preferred_language):
        return email_render(LINK_TEMPLATE, _link_context(link, url))


def _link_context(link: PreparationLink, url: str) -> dict:
    return {
        "link": url,
        "days": settings.PREPARATION_LINK_DAYS,
        "expires_at": link.expires_at,
        "firm_name": settings.FIRM_NAME,
        "firm_phone": settings.FIRM_PHONE,
        "firm_email": settings.FIRM_EMAIL,
    }


# The client's side: what the client did through the link, with user None.


def client_event_record(*, link: PreparationLink, what: str, **detail) -> CaseAccess:
    """An opening, a check passed or failed, a code sent: CLIENT_OPENED, `what` says which."""
    return access_record(case=link.case, user=None, action=CaseAccess.Action.CLIENT_OPENED,
                         detail={"what": what, "link": link.pk, **detail})  # fmt: skip


class RequestClosed(Exception):
    """The document was received or the request cancelled meanwhile."""


@transaction.atomic
def document_request_fulfil(*, link: PreparationLink, document_request_id: int,
                            upload) -> Document:  # fmt: skip
    """The client's upload (already judged by intake.uploads: upload.detected_type) becomes
    one of the client's documents, of the kind asked for, and the request is received."""
    document_request = (
        DocumentRequest.objects.select_for_update()
        .filter(pk=document_request_id, case_id=link.case_id, fulfilled_at=None,
                cancelled_at=None)
        .first()
    )  # fmt: skip
    if document_request is None:
        raise RequestClosed
    case = link.case
    document = Document.objects.create(
        client=case.client,
        kind=DOCUMENT_KIND.get(document_request.kind, document_request.kind),
        file=upload,
        original_name=upload.name[:255],
        content_type=upload.detected_type,
        size=upload.size,
    )
    document_request.document = document
    document_request.fulfilled_at = timezone.now()
    document_request.save(update_fields=["document", "fulfilled_at"])
    access_record(case=case, user=None, action=CaseAccess.Action.CLIENT_UPLOAD, detail={
        "link": link.pk, "request": document_request.pk, "document": document.pk,
        "what": "uploaded a document", "kind": document_request.kind, "size": upload.size,
    })  # fmt: skip
    return document


def preparation_link_asked(*, email: str) -> int:
    """Someone asked for a new link for `email`: only when it is the address of a client
    whose case is open and was sent a link, the firm's staff on that case (else those on
    triage duty) are told, at most once an hour per case. Never the client: the form says
    the same whatever the address. Returns how many cases were concerned."""
    cases = list(
        Case.objects.filter(
            client__email__iexact=email.strip(), stage__in=PREPARATION_STAGES,
            merged_into=None, preparation_links__isnull=False,
        ).select_related("assigned_attorney", "assigned_paralegal").distinct()
    )  # fmt: skip
    hour = int(timezone.now().timestamp() // (ASKED_NOTICE_HOURS * 3600))
    for case in cases:
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case.pk).first()  # one notice at once
            key_prefix = f"new-link:{case.pk}:{hour}:"
            if Email.objects.filter(dedupe_key__startswith=key_prefix).exists():
                continue
            with translation.override("en"):
                subject, text, _html = email_render(ASKED_TEMPLATE, {
                    "case": case,
                    "url": settings.SITE_URL.rstrip("/") + case.get_absolute_url(),
                }, html=False)  # fmt: skip
            sent = []
            for address in _case_staff(case):
                sent.append(email_queue(
                    to=address, subject=subject, text=text, kind=EmailKind.NEW_LINK_ASKED,
                    case_id=case.pk, dedupe_key=f"{key_prefix}{address}"[:200],
                ).pk)  # fmt: skip
            access_record(case=case, user=None, action=CaseAccess.Action.CLIENT_OPENED,
                          detail={"what": "asked for a new link", "emails": sent})  # fmt: skip
    return len(cases)


def _case_staff(case: Case) -> list[str]:
    people = [case.assigned_attorney, case.assigned_paralegal]
    addresses = sorted({p.email for p in people if p is not None and p.email})
    return addresses or triage_recipients()
