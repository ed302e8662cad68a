"""The public intake wizard: thin views over intake.wizard and intake.services."""


from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from cases.models import Document

from . import antiautomation, emails, summary, wizard
from .forms import DocumentUploadForm, ResumeLinkForm
from .models import IntakeDraft
from .services import IncompleteIntake, intake_submit

SESSION_DRAFT = "intake_draft_id"
SESSION_REFERENCE = "intake_case_reference"


def _session_draft(request) -> IntakeDraft | None:
    pk = request.session.get(SESSION_DRAFT)
    return IntakeDraft.objects.filter(pk=pk).first() if pk else None


def _step_url(step, review=False) -> str:
    url = reverse("intake:step", args=[step.slug])
    return f"{url}?review=1" if review else url


def _render_step(request, step, draft, built, status=200, **extra):
    context = {
        "step": step,
        "steps": wizard.STEPS,
        "number": wizard.step_number(step.slug),
        "total": len(wizard.STEPS),
        "forms": built,
        "draft": draft,
        "from_review": request.GET.get("review") == "1",
        "errors": wizard.error_summary(built),
        "form_stamp": antiautomation.stamp(),
        **extra,
    }
    return render(request, step.template, context, status=status)


@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "POST" and request.POST.get("action") == "new":
        request.session.pop(SESSION_DRAFT, None)
        request.session.pop(SESSION_REFERENCE, None)
    return redirect("intake:step", slug=wizard.STEPS[0].slug)


def _refusal(request, template, status):
    return render(request, template, status=status)


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
    answers = wizard.answers_from_post(request.POST)
    review = request.GET.get("review") == "1"
    if antiautomation.rate_limited(request, "step"):
        _store(request, draft, step.slug, answers)  # kept: the client loses nothing by waiting
        return _refusal(request, "intake/slow_down.html", 429)

    prefix, _sep, index = action.partition(":")[2].partition(":")
    if action.startswith("add:"):
        answers = wizard.add_form(answers, prefix)
    elif action.startswith("remove:") and index.isdigit():
        answers = wizard.remove_form(answers, prefix, int(index))
    _store(request, draft, step.slug, answers)
    if action.startswith(("add:", "remove:")):
        return redirect(_step_url(step, review) + ("&" if review else "?") + f"at={prefix}")
    if action == "back":
        return redirect(_step_url(wizard.neighbour(step.slug, -1)))
    if action == "save":
        return redirect("intake:save")

    # Checked against the POST itself, so an answer too long to keep still gets its message.
    built = step.build(draft, data=request.POST)
    if antiautomation.too_quick(request.POST):
        messages.info(request, _("Please take a moment to check your answers, then continue."))
        return _render_step(request, step, draft, built)
    if not wizard.forms_valid(built):
        return _render_step(request, step, draft, built)
    target = wizard.STEPS[-1] if review else wizard.neighbour(step.slug, 1)
    return redirect(_step_url(target))


def _store(request, draft, slug, answers):
    draft.data[slug] = answers
    draft.language = translation.get_language()
    if draft.pk is None:  # the first answers: one INSERT, one commit
        draft.save()
        request.session[SESSION_DRAFT] = draft.pk
    else:
        draft.save(update_fields=["data", "language", "updated_at"])


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
            form = DocumentUploadForm(request.POST, request.FILES, **existing)
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
        upload_max_mb=settings.INTAKE_UPLOAD_MAX_BYTES // (1024 * 1024),
        upload_max_files=settings.INTAKE_UPLOAD_MAX_FILES,
    )


def _review(request, step, draft):
    if request.method == "POST" and request.POST.get("action") == "submit":
        if antiautomation.rate_limited(request, "submit"):
            return _refusal(request, "intake/slow_down.html", 429)
        if antiautomation.too_quick(request.POST):
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
        emails.resume_link_queue(draft=draft, to=form.cleaned_data["email"])
        return render(request, "intake/saved.html", {"email": form.cleaned_data["email"]})
    return render(request, "intake/save.html", {"form": form, "form_stamp": antiautomation.stamp()})


@sensitive_variables("token")
def resume(request, token):
    if antiautomation.rate_limited(request, "resume"):
        return _refusal(request, "intake/slow_down.html", 429)
    draft = IntakeDraft.from_resume_token(token)
    if draft is None:
        # The same answer for a wrong, an expired and a used link.
        return render(request, "intake/resume_invalid.html", status=404)
    request.session.cycle_key()
    request.session[SESSION_DRAFT] = draft.pk
    translation.activate(draft.language)
    response = redirect(_step_url(wizard.first_incomplete(draft)))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, draft.language,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)  # fmt: skip
    return response


def done(request):
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("intake:start")
    return render(request, "intake/done.html", {"reference": reference})



