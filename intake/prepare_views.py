"""The client's secure link (intake:prepare): the second check, the client's page with what
the firm still needs, the uploads the firm asked for, and the request for a new link.

Thin views over intake.prepare_check (the check) and cases.preparation_links (the writes).
Until the check passes, a page shows nothing about the person; afterwards the link belongs
to this browser session alone (intake.prepare_access). Every dead link gets one page.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Document
from cases.preparation_links import (
    RequestClosed,
    client_event_record,
    document_request_fulfil,
)

from . import antiautomation, prepare_access, prepare_check
from .prepare_forms import BirthDateForm, CodeForm, NewLinkForm, RequestedUploadForm
from .stage_words import stage_in_words
from .views import intake_page

log = logging.getLogger(__name__)

# The link this session opened and is checking: {"link": pk, "birth": passed or not}.
SESSION_PENDING = "prepare_pending"


def invalid_link(request, form=None):
    """The one page for a link that does not work, whatever the reason."""
    context = {"form": form or NewLinkForm(), "form_stamp": antiautomation.stamp(request)}
    return render(request, "intake/prepare_invalid.html", context, status=404)


def _slow_down(request):
    return render(request, "intake/prepare_slow_down.html", status=429)


@intake_page
@sensitive_variables("token")
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def prepare(request, token):
    link = prepare_check.link_for_token(token)
    if link is None:
        return invalid_link(request)
    if link.verified_at:
        held = prepare_access.current_link(request)
        if held is not None and held.pk == link.pk:
            return redirect("intake:prepare_home")
        client_event_record(link=link, what="refused: in use on another device")
        return invalid_link(request)
    pending = request.session.get(SESSION_PENDING) or {}
    first_open = pending.get("link") != link.pk
    if first_open:
        pending = {"link": link.pk, "birth": False}
        request.session[SESSION_PENDING] = pending
    if request.method == "GET":
        client_event_record(link=link, what="opened")
        if not first_open:
            return _check_page(request, link, pending)
        # The client's language once; the switcher is theirs afterwards. Rendered under
        # override, not activate: the language must not outlive this request in the thread.
        language = link.case.client.preferred_language
        with translation.override(language):
            response = _check_page(request, link, pending)
        _language_cookie(response, language)
        return response
    if antiautomation.rate_limited(request, "prepare_check"):
        return _slow_down(request)
    action = request.POST.get("action")
    if pending["birth"] and action == "code":
        return _code_post(request, link, pending)
    if pending["birth"] and action == "resend":
        return _resend(request, link, pending)
    return _birth_post(request, link, pending)


def _language_cookie(response, language):
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)  # fmt: skip


def _check_page(request, link, pending, form=None):
    if pending["birth"]:
        form = form or CodeForm()
        step = "code"
    else:
        form = form or BirthDateForm()
        step = "birth"
    context = {
        "form": form,
        "step": step,
        "address": prepare_check.masked_address(link.case.client.email),
        "minutes": settings.PREPARATION_CODE_MINUTES,
    }
    return render(request, "intake/prepare_check.html", context)


def _spent(request):
    request.session.pop(SESSION_PENDING, None)
    return invalid_link(request)


def _birth_post(request, link, pending):
    form = BirthDateForm(request.POST)
    if not form.is_valid():
        return _check_page(request, link, pending, form)
    outcome = prepare_check.birth_date_check(link=link, given=form.cleaned_data["date_of_birth"])
    if outcome == prepare_check.SPENT:
        return _spent(request)
    if outcome == prepare_check.WRONG:
        link.refresh_from_db(fields=["failures"])
        form.add_error("date_of_birth", _wrong_answer(link))
        return _check_page(request, link, pending, form)
    pending["birth"] = True
    request.session[SESSION_PENDING] = pending
    return _check_page(request, link, pending)


def _wrong_answer(link) -> str:
    return _("This does not match what we have. Please check and try again. Tries left: "
             "%(left)d.") % {"left": prepare_check.tries_left(link)}


def _code_post(request, link, pending):
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _check_page(request, link, pending, form)
    outcome = prepare_check.code_check(
        link=link, code=form.cleaned_data["code"],
        bind=lambda held: prepare_access.bind(request, held),
    )  # fmt: skip
    if outcome == prepare_check.SPENT:
        return _spent(request)
    if outcome == prepare_check.RIGHT:
        request.session.pop(SESSION_PENDING, None)
        return redirect("intake:prepare_home")
    if outcome == prepare_check.EXPIRED:
        form.add_error("code", _("This code has expired. Press “Send me a new code” and use "
                                 "the newest e-mail."))  # fmt: skip
    else:
        link.refresh_from_db(fields=["failures"])
        form.add_error("code", _wrong_answer(link))
    return _check_page(request, link, pending, form)


def _resend(request, link, pending):
    with transaction.atomic():
        queued = prepare_check.code_queue(link=link)
        if queued:
            client_event_record(link=link, what="new code sent")
    if not queued:
        return _spent(request)
    messages.info(request, _("We sent you a new code. Only the newest one works."))
    return _check_page(request, link, pending)


def held_link(request):
    link = prepare_access.current_link(request)
    return link if link is not None and prepare_check.link_works(link) else None


@intake_page
def prepare_home(request):
    link = held_link(request)
    if link is None:
        return invalid_link(request)
    return _home(request, link)


def _home(request, link, upload_forms=None, status=200):
    case = link.case
    upload_forms = upload_forms or {}
    requests = list(case.document_requests.filter(cancelled_at=None))
    waiting = [
        (r, upload_forms.get(r.pk) or RequestedUploadForm(prefix=f"r{r.pk}", **_uploaded(case)))
        for r in requests if r.fulfilled_at is None
    ]  # fmt: skip
    context = {
        "case": case,
        "stage_words": stage_in_words(case.stage),
        "waiting": waiting,
        "received": [r for r in requests if r.fulfilled_at is not None],
        "upload_max_mb": settings.INTAKE_UPLOAD_MAX_BYTES // (1024 * 1024),
        "firm_name": settings.FIRM_NAME,
        "firm_phone": settings.FIRM_PHONE,
        "firm_email": settings.FIRM_EMAIL,
    }
    return render(request, "intake/prepare_home.html", context, status=status)


def _uploaded(case) -> dict:
    """What the client has sent through the link so far, for the intake's upload caps."""
    documents = Document.objects.filter(requests__case=case).values_list("size", flat=True)
    sizes = list(documents)
    return {"existing_count": len(sizes), "existing_bytes": sum(sizes)}


@intake_page
@require_POST
def prepare_upload(request, request_pk):
    link = held_link(request)
    if link is None:
        return invalid_link(request)
    document_request = link.case.document_requests.filter(
        pk=request_pk, fulfilled_at=None, cancelled_at=None
    ).first()
    if document_request is None:
        messages.info(request, _("This document is no longer needed, or we already have it."))
        return redirect("intake:prepare_home")
    limited = antiautomation.rate_limited(request, "upload")
    form = RequestedUploadForm(request.POST, request.FILES, prefix=f"r{request_pk}",
                               limited=limited, **_uploaded(link.case))  # fmt: skip
    if limited or not form.is_valid():
        form.is_valid()  # limited: the message beside the field; the file is not parsed
        return _home(request, link, {request_pk: form}, status=429 if limited else 400)
    try:
        document_request_fulfil(link=link, document_request_id=request_pk,
                                upload=form.cleaned_data["file"])  # fmt: skip
    except RequestClosed:
        messages.info(request, _("This document is no longer needed, or we already have it."))
        return redirect("intake:prepare_home")
    messages.success(request, _("Thank you: we received your document."))
    return redirect("intake:prepare_home")


@intake_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def prepare_new_link(request):
    """Always the same answer: nobody learns from it whether an address is a client's."""
    if request.method == "GET":
        return render(request, "intake/prepare_new_link.html", {
            "form": NewLinkForm(), "form_stamp": antiautomation.stamp(request),
        })  # fmt: skip
    if antiautomation.honeypot_filled(request.POST):
        return render(request, "intake/refused.html", status=400)
    if antiautomation.rate_limited(request, "prepare_new_link"):
        return _slow_down(request)
    form = NewLinkForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/prepare_new_link.html", {
            "form": form, "form_stamp": antiautomation.stamp(request),
        })  # fmt: skip
    _queue_new_link_asked(form.cleaned_data["email"])
    return render(request, "intake/prepare_new_link_sent.html")


def _queue_new_link_asked(address: str) -> None:
    """Matched by the worker (cases.tasks.new_link_asked): nothing here to time."""
    from cases.tasks import new_link_asked

    try:
        new_link_asked.delay(address)
    except Exception:  # noqa: BLE001 - broker down: the client asks again; same answer
        log.warning("New-link request not queued (broker unavailable)")
