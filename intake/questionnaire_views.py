"""The preparation questionnaire (intake:prepare_start, intake:prepare_step): thin views
over intake.prepare_steps, the intake wizard's engine (intake.wizard) and
intake.services.preparation_send. Every page needs the secure link this session holds
(intake.prepare_views.held_link); without one, the one page for a link that does not work,
which says nothing about the person."""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cases.preparation import prepared_answers

from . import antiautomation, summary, views, wizard
from . import prepare_steps as steps
from .models import PreparationDraft
from .prepare_views import held_link, invalid_link
from .services import IncompleteIntake, preparation_send
from .views import TOO_BIG, intake_page


def _draft(case) -> PreparationDraft:
    try:
        draft, _made = PreparationDraft.objects.get_or_create(
            case=case, defaults={"language": translation.get_language()}
        )
    except IntegrityError:  # two first requests of one case raced; the other made it
        draft = PreparationDraft.objects.get(case=case)
    draft.prefill = prepared_answers(case)
    return draft


def prepare_page(view):
    """A page of the questionnaire: never cached, and only for the session holding a live
    link; the view gets the link's draft."""

    @intake_page
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        link = held_link(request)
        if link is None:
            return invalid_link(request)
        return view(request, _draft(link.case), *args, **kwargs)

    return wrapped


def _step_url(step, review=False) -> str:
    return views._step_url(step, review, url_name="intake:prepare_step")


def _render_step(request, step, draft, built, status=200, **extra):
    return views._render_step(request, step, draft, built, status, steps=steps, prepare=True,
                              **extra)  # fmt: skip


@prepare_page
@require_http_methods(["GET"])
def start(request, draft):
    return redirect(_step_url(steps.first_incomplete(draft)))


@prepare_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def step(request, draft, slug):
    step = steps.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    if request.method == "POST" and antiautomation.honeypot_filled(request.POST):
        return render(request, "intake/refused.html", status=400)
    if step.slug == "review":
        return _review(request, step, draft)
    if request.method == "GET":
        return _render_step(request, step, draft, step.build(draft))
    return _step_post(request, step, draft)


def _step_post(request, step, draft):
    """As the intake's: keep the answers whatever happens next, then add or remove a row,
    go back, save for later, or check the step and go on."""
    action = request.POST.get("action", "next")
    too_many = wizard.too_many_rows(request.POST, step, draft)
    if too_many:  # before any form is built: a row count of 10,000 would build 10,000
        messages.error(request, too_many)
        return _render_step(request, step, draft, step.build(draft), status=400)
    answers = wizard.answers_from_post(request.POST, step, draft)
    review = request.GET.get("review") == "1"
    if antiautomation.rate_limited(request, "step"):
        _store(draft, step.slug, answers)  # kept: the client loses nothing by waiting
        return render(request, "intake/slow_down.html", status=429)
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
    if not _store(draft, step.slug, answers):
        messages.error(request, TOO_BIG)
        return _render_step(request, step, draft, step.build(draft, data=request.POST),
                            status=400)  # fmt: skip
    if action.startswith(("add:", "remove:")):
        return redirect(_step_url(step, review) + ("&" if review else "?") + f"at={prefix}")
    if action == "back":
        return redirect(_step_url(steps.neighbour(step.slug, -1)))
    if action == "save":
        messages.success(request, _(
            "Your answers are saved. You can close this page and come back with your link."))
        return redirect(_step_url(step, review))
    built = step.build(draft, data=request.POST)
    if antiautomation.too_quick(request):
        messages.info(request, _("Please take a moment to check your answers, then continue."))
        return _render_step(request, step, draft, built)
    if not wizard.forms_valid(built):
        return _render_step(request, step, draft, built)
    target = steps.STEPS[-1] if review else steps.neighbour(step.slug, 1)
    return redirect(_step_url(target))


def _store(draft, slug, answers) -> bool:
    """This step's answers kept on the draft; False (nothing kept) past the intake's cap on
    a draft's size (INTAKE_DRAFT_MAX_BYTES)."""
    size = len(json.dumps({**draft.data, slug: answers}, ensure_ascii=False).encode())
    if size > settings.INTAKE_DRAFT_MAX_BYTES:
        return False
    draft.data[slug] = answers
    draft.language = translation.get_language()
    draft.save(update_fields=["data", "language", "updated_at"])
    return True


def _review(request, step, draft):
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "back":
        return redirect(_step_url(steps.neighbour(step.slug, -1)))
    if action == "send":
        if antiautomation.rate_limited(request, "submit"):
            return render(request, "intake/slow_down.html", status=429)
        if antiautomation.too_quick(request):
            messages.info(request, _("Please take a moment to check your answers, then send."))
            return redirect(_step_url(step))
        try:
            preparation_send(draft_id=draft.pk)
        except IncompleteIntake as incomplete:
            messages.error(request, _("Some answers need your attention before you can send."))
            return redirect(_step_url(incomplete.step))
        return redirect("intake:prepare_sent")
    sections = []
    for each in steps.STEPS[:-1]:
        complete = steps.step_is_complete(draft, each)
        groups = []
        if complete:
            for form in each.build(draft).values():
                if hasattr(form, "management_form"):
                    groups += [summary.form_rows(f) for f in form.forms if f.cleaned_data]
                else:
                    groups.append(summary.form_rows(form))
        sections.append({"step": each, "complete": complete, "groups": [g for g in groups if g]})
    return _render_step(request, step, draft, {}, sections=sections,
                        ready=all(s["complete"] for s in sections))  # fmt: skip


@prepare_page
@require_http_methods(["GET"])
def sent(request, draft):
    if draft.submitted_at is None:
        return redirect(_step_url(steps.first_incomplete(draft)))
    return render(request, "intake/prepare_sent.html", {"draft": draft})
