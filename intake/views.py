"""The public intake wizard: thin views over intake.wizard and intake.services.

Only one session at a time may read a draft: the one that started it, or the one that last
opened a resume link for it and then gave the draft's date of birth (or the e-mail address
the link went to). The session holds the draft's nonce; a draft's new nonce cuts every
other session off. An anonymous session idle for INTAKE_IDLE_SECONDS stops showing answers.
"""

import hmac
import json
import time

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from cases.models import Document

from . import antiautomation, emails, summary, wizard
from .forms import DocumentUploadForm, ResumeCheckForm, ResumeLinkForm
from .models import IntakeDraft, email_hash
from .services import IncompleteIntake, intake_submit

SESSION_DRAFT = "intake_draft_id"
SESSION_REFERENCE = "intake_case_reference"
# The nonce of the draft this session may read (IntakeDraft.session_nonce).
SESSION_NONCE = "intake_draft_nonce"
# A draft whose resume link this session opened, not yet shown: the check comes first.
SESSION_PENDING = "intake_pending_draft_id"
# When this session last read its draft (Unix seconds); written at most every TOUCH_EVERY.
SESSION_SEEN = "intake_seen_at"
TOUCH_EVERY = 60


class NoDraft(Exception):
    """This session may not read the draft it names; `response` says so to the client."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def _forget(request) -> None:
    for key in (SESSION_DRAFT, SESSION_NONCE, SESSION_PENDING, SESSION_SEEN):
        request.session.pop(key, None)


def _invalid_link(request):
    return render(request, "intake/resume_invalid.html", status=404)


def _session_draft(request) -> IntakeDraft | None:
    """The draft this session may read, None if it has none, or NoDraft when it had one
    but was cut off (the link opened elsewhere) or left idle too long."""
    pk = request.session.get(SESSION_DRAFT)
    if not pk:
        return None
    now = time.time()
    if now - request.session.get(SESSION_SEEN, now) > settings.INTAKE_IDLE_SECONDS:
        _forget(request)
        minutes = settings.INTAKE_IDLE_SECONDS // 60
        raise NoDraft(render(request, "intake/idle.html", {"minutes": minutes}))
    draft = IntakeDraft.objects.filter(pk=pk).first()
    nonce = request.session.get(SESSION_NONCE, "")
    if draft is None or not hmac.compare_digest(draft.session_nonce, nonce):
        _forget(request)
        raise NoDraft(_invalid_link(request))
    if now - request.session.get(SESSION_SEEN, 0) >= TOUCH_EVERY:
        request.session[SESSION_SEEN] = now
    return draft


def _bind(request, draft) -> None:
    """This session, and only it, reads `draft` from now on."""
    request.session[SESSION_DRAFT] = draft.pk
    request.session[SESSION_NONCE] = draft.session_nonce
    request.session[SESSION_SEEN] = time.time()
    request.session.pop(SESSION_PENDING, None)


def _expire_idle(request) -> None:
    """An anonymous visitor's session row lives twice the idle time after its last save
    (then intake.retention clears it): long enough to say kindly why the answers are hidden,
    never the staff's 12 hours. Set only when the session is saved anyway (SESSION_SEEN
    is touched every minute of activity), so a plain page view writes nothing extra."""
    session = request.session
    if request.user.is_authenticated or not session.modified:
        return
    if session.get_expiry_age() != 2 * settings.INTAKE_IDLE_SECONDS:
        session.set_expiry(2 * settings.INTAKE_IDLE_SECONDS)


def intake_page(view):
    """Every intake page: never kept by a browser or proxy cache (a shared phone's back
    button must not show the story), and a cut-off or idle session gets its page."""

    @never_cache
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except NoDraft as no_draft:
            response = no_draft.response
        _expire_idle(request)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _step_url(step, review=False, *, url_name="intake:step") -> str:
    url = reverse(url_name, args=[step.slug])
    return f"{url}?review=1" if review else url


def _render_step(request, step, draft, built, status=200, *, steps=wizard, **extra):
    """A step's page; `steps` is the module that lists the wizard's steps (the intake's, or
    the preparation questionnaire's)."""
    context = {
        "step": step,
        "steps": steps.STEPS,
        "number": steps.step_number(step.slug),
        "total": len(steps.STEPS),
        "forms": built,
        "draft": draft,
        "from_review": request.GET.get("review") == "1",
        "errors": wizard.error_summary(built),
        "form_stamp": antiautomation.stamp(request),
        **extra,
    }
    return render(request, step.template, context, status=status)


@intake_page
@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "POST" and request.POST.get("action") == "new":
        _forget(request)
        request.session.pop(SESSION_REFERENCE, None)
    return redirect("intake:step", slug=wizard.STEPS[0].slug)


def _refusal(request, template, status):
    return render(request, template, status=status)


@intake_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def step(request, slug):
    step = wizard.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    if request.method == "POST" and antiautomation.honeypot_filled(request.POST):
        return _refusal(request, "intake/refused.html", 400)
    draft = _session_draft(request)
    refusal = _out_of_order(request, step, draft)
    if refusal is not None:
        return refusal
    if step.slug == "documents":
        return _documents(request, step, draft)
    if step.slug == "review":
        return _review(request, step, draft)
    if request.method == "GET":
        built = step.build(draft) if draft else step.build(None, data=None)
        return _render_step(request, step, draft, built)
    if draft is None:
        draft = IntakeDraft(language=translation.get_language())  # saved with its answers
    return _step_post(request, step, draft)


def _out_of_order(request, step, draft):
    """Where to send a client who cannot be on this step yet (or any more), else None."""
    if draft is not None and draft.submitted_at:
        return redirect("intake:done")
    if draft is None and step is not wizard.STEPS[0]:
        messages.info(request, _("Please start here, or use the link we e-mailed you."))
        return redirect("intake:start")
    if step is not wizard.STEPS[0] and not wizard.step_is_complete(draft, wizard.STEPS[0]):
        return redirect("intake:step", slug=wizard.STEPS[0].slug)
    return None


def _step_post(request, step, draft):
    """Keep the answers whatever happens next, then add or remove a row, go back, save for
    later, or check the step and go on."""
    action = request.POST.get("action", "next")
    # Before any form is built: a row count of 10,000 would build 10,000 forms.
    too_many = wizard.too_many_rows(request.POST, step, draft)
    if too_many:
        messages.error(request, too_many)
        return _render_step(request, step, draft, step.build(draft), status=400)
    answers = wizard.answers_from_post(request.POST, step, draft)
    review = request.GET.get("review") == "1"
    if antiautomation.rate_limited(request, "step"):
        _store(request, draft, step.slug, answers)  # kept: the client loses nothing by waiting
        return _refusal(request, "intake/slow_down.html", 429)

    prefix, _sep, index = action.partition(":")[2].partition(":")
    if action.startswith("add:"):
        most = wizard.most_rows(step, draft, prefix)
        added = wizard.add_form(answers, prefix, most) if most else None
        if added is None:
            messages.error(request, _("You cannot add more here."))
        else:
            answers = added
    elif action.startswith("remove:") and index.isdecimal():
        answers = wizard.remove_form(answers, prefix, int(index))
    if not _store(request, draft, step.slug, answers):
        messages.error(request, TOO_BIG)
        built = step.build(draft, data=request.POST)
        return _render_step(request, step, draft, built, status=400)
    if action.startswith(("add:", "remove:")):
        return redirect(_step_url(step, review) + ("&" if review else "?") + f"at={prefix}")
    if action == "back":
        return redirect(_step_url(wizard.neighbour(step.slug, -1)))
    if action == "save":
        return redirect("intake:save")

    # Checked against the POST itself, so an answer too long to keep still gets its message.
    built = step.build(draft, data=request.POST)
    if antiautomation.too_quick(request):
        messages.info(request, _("Please take a moment to check your answers, then continue."))
        return _render_step(request, step, draft, built)
    if not wizard.forms_valid(built):
        return _render_step(request, step, draft, built)
    target = wizard.STEPS[-1] if review else wizard.neighbour(step.slug, 1)
    return redirect(_step_url(target))


TOO_BIG = gettext_lazy(
    "Your answers are too long to save. Please shorten the longest ones (for example your "
    "story), then try again."
)


def _store(request, draft, slug, answers) -> bool:
    """Keep this step's answers; False (nothing kept) when the whole draft would pass
    INTAKE_DRAFT_MAX_BYTES."""
    size = len(json.dumps({**draft.data, slug: answers}, ensure_ascii=False).encode())
    if size > settings.INTAKE_DRAFT_MAX_BYTES:
        return False
    draft.data[slug] = answers
    draft.language = translation.get_language()
    if draft.pk is None:  # the first answers: one INSERT, one commit
        draft.bind_new_session()
        draft.save()
        _bind(request, draft)
    else:
        draft.save(update_fields=["data", "language", "updated_at"])
    return True


def _documents(request, step, draft):
    documents = list(draft.documents.all())  # a few at most (INTAKE_UPLOAD_MAX_FILES)
    existing = {
        "existing_count": len(documents),
        "existing_bytes": sum(document.size for document in documents),
    }
    form = DocumentUploadForm(**existing)
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "upload":
            limited = antiautomation.rate_limited(request, "upload")
            form = DocumentUploadForm(request.POST, request.FILES, limited=limited, **existing)
            if limited:
                form.is_valid()  # the message beside the field; the file is not parsed
                return _render_step(request, step, draft, {"upload": form}, status=429,
                                    documents=documents, **_upload_limits())  # fmt: skip
            if form.is_valid():
                upload = form.cleaned_data["file"]
                draft.documents.add(Document.objects.create(
                    kind=form.cleaned_data["kind"],
                    file=upload,
                    original_name=upload.name[:255],
                    content_type=upload.detected_type,
                    size=upload.size,
                ))
                messages.success(request, _("Your document was uploaded."))
                return redirect(_step_url(step))
        elif action.startswith("remove:"):
            doc = draft.documents.filter(pk=action.partition(":")[2] or 0).first()
            if doc:
                doc.file.delete(save=False)
                doc.delete()
            return redirect(_step_url(step))
        else:
            _store(request, draft, step.slug, {})
            if action == "back":
                return redirect(_step_url(wizard.neighbour(step.slug, -1)))
            if action == "save":
                return redirect("intake:save")
            return redirect(_step_url(wizard.neighbour(step.slug, 1)))
    return _render_step(
        request,
        step,
        draft,
        {"upload": form},
        documents=documents,
        **_upload_limits(),
    )


def _upload_limits():
    return {
        "upload_max_mb": settings.INTAKE_UPLOAD_MAX_BYTES // (1024 * 1024),
        "upload_max_files": settings.INTAKE_UPLOAD_MAX_FILES,
    }


def _review(request, step, draft):
    if request.method == "POST" and request.POST.get("action") == "submit":
        if antiautomation.rate_limited(request, "submit"):
            return _refusal(request, "intake/slow_down.html", 429)
        if antiautomation.too_quick(request):
            messages.info(request, _("Please take a moment to check your answers, then submit."))
            return redirect(_step_url(step))
        try:
            case = intake_submit(draft_id=draft.pk)
        except IncompleteIntake as incomplete:
            messages.error(
                request, _("Some answers need your attention before you can submit.")
            )
            return redirect(_step_url(incomplete.step))
        request.session[SESSION_REFERENCE] = case.reference
        return redirect("intake:done")
    if request.method == "POST" and request.POST.get("action") == "save":
        return redirect("intake:save")
    if request.method == "POST" and request.POST.get("action") == "back":
        return redirect(_step_url(wizard.neighbour(step.slug, -1)))
    sections = summary.review_sections(draft)
    return _render_step(
        request,
        step,
        draft,
        {},
        sections=sections,
        ready=all(s["complete"] for s in sections),
        family=summary.family_eligibility(draft),
    )


@intake_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def save_for_later(request):
    draft = _session_draft(request)
    if draft is None or draft.submitted_at:
        return redirect("intake:start")
    if request.method == "POST" and antiautomation.honeypot_filled(request.POST):
        return _refusal(request, "intake/refused.html", 400)
    if request.method == "POST" and antiautomation.rate_limited(request, "save"):
        return _refusal(request, "intake/slow_down.html", 429)
    known_email = wizard.cleaned_value(draft, "about", "email")
    form = ResumeLinkForm(request.POST or None, initial={"email": known_email})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Asked on a new device when the draft has no date of birth yet.
            draft.resume_email_hash = email_hash(form.cleaned_data["email"])
            draft.save(update_fields=["resume_email_hash", "updated_at"])
            emails.resume_link_queue(draft=draft, to=form.cleaned_data["email"])
        return render(request, "intake/saved.html", {"email": form.cleaned_data["email"]})
    context = {"form": form, "form_stamp": antiautomation.stamp(request)}
    return render(request, "intake/save.html", context)


@intake_page
@sensitive_variables("token")
def resume(request, token):
    """Opening a link uses it up and moves the draft to this session: every other session
    is cut off at once, and this one sees nothing until resume_check is passed."""
    if antiautomation.rate_limited(request, "resume"):
        return _refusal(request, "intake/slow_down.html", 429)
    with transaction.atomic():
        draft = IntakeDraft.from_resume_token(token)
        if draft is None:
            # The same answer for a wrong, an expired and a used link.
            return _invalid_link(request)
        draft.resume_token_hash = draft.resume_expires_at = None
        draft.resume_failures = 0
        draft.bind_new_session()
        draft.save(update_fields=[
            "resume_token_hash", "resume_expires_at", "resume_failures", "session_nonce",
            "updated_at",
        ])  # fmt: skip
    request.session.cycle_key()
    _forget(request)
    request.session[SESSION_PENDING] = draft.pk
    request.session[SESSION_NONCE] = draft.session_nonce
    translation.activate(draft.language)
    response = redirect("intake:resume_check")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, draft.language,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)  # fmt: skip
    return response


@intake_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def resume_check(request):
    """The date of birth in the draft (or, with none yet, the address the link went to)
    before a resumed draft is shown; INTAKE_RESUME_CHECK_TRIES wrong answers shut it."""
    pk = request.session.get(SESSION_PENDING)
    draft = IntakeDraft.objects.filter(pk=pk, submitted_at=None).first() if pk else None
    nonce = request.session.get(SESSION_NONCE, "")
    if (draft is None or not hmac.compare_digest(draft.session_nonce, nonce)
            or draft.resume_failures >= settings.INTAKE_RESUME_CHECK_TRIES):  # fmt: skip
        _forget(request)
        return _invalid_link(request)
    if request.method == "POST" and antiautomation.rate_limited(request, "resume"):
        return _refusal(request, "intake/slow_down.html", 429)
    born = wizard.cleaned_value(draft, "about", "date_of_birth")
    form = ResumeCheckForm(request.POST or None, ask_email=born is None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft = IntakeDraft.objects.select_for_update().get(pk=draft.pk)
            if draft.resume_failures >= settings.INTAKE_RESUME_CHECK_TRIES:
                _forget(request)
                return _invalid_link(request)
            if born is not None:
                right = form.cleaned_data["date_of_birth"] == born
            else:
                given = email_hash(form.cleaned_data["email"])
                right = bool(draft.resume_email_hash) and hmac.compare_digest(
                    given, draft.resume_email_hash
                )
            draft.resume_failures = 0 if right else draft.resume_failures + 1
            draft.save(update_fields=["resume_failures", "updated_at"])
        if right:
            _bind(request, draft)
            return redirect(_step_url(wizard.first_incomplete(draft)))
        if draft.resume_failures >= settings.INTAKE_RESUME_CHECK_TRIES:
            _forget(request)
            return _invalid_link(request)
        form.add_error(
            None, _("This does not match what you gave before. Please check and try again.")
        )
    return render(request, "intake/resume_check.html", {"form": form})


@intake_page
def done(request):
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("intake:start")
    return render(request, "intake/done.html", {"reference": reference})



