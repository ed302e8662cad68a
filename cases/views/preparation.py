"""The case page's preparation panel: the documents asked of the client and the client's
secure link (intake:prepare), with what the client did through it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..models import DocumentRequest
from ..preparation_forms import DocumentRequestForm
from ..preparation_links import (
    document_request_add,
    document_request_cancel,
    may_request_documents,
    may_send_link,
    preparation_link_send,
    preparation_open,
)
from ..preparation_state import case_preparation
from .common import _apply, _case, staff_view

ANCHOR = "#preparation-heading"


def preparation_context(user, case, forms: dict) -> dict:
    """The panel's context; a form passed in comes back with its errors."""
    if not (user.has_perm("cases.view_documentrequest")
            or user.has_perm("cases.view_preparationlink")):  # fmt: skip
        return {"show_preparation": False}
    state = case_preparation(case)
    return {
        "show_preparation": True,
        "preparation_open": preparation_open(case),
        "can_request_documents": may_request_documents(user, case),
        "can_send_link": may_send_link(user, case),
        "can_cancel_requests": user.has_perm("cases.change_documentrequest")
        and preparation_open(case),
        "document_request_form": forms.get("document_request_form")
        or DocumentRequestForm(waiting=state["waiting_kinds"]),
        **state,
    }


def _back(case):
    return redirect(f"{case.get_absolute_url()}{ANCHOR}")


@require_POST
@staff_view("cases.add_documentrequest")
def document_requests_add(request, pk):
    case = _case(pk)
    waiting = case.document_requests.filter(fulfilled_at=None, cancelled_at=None)
    form = DocumentRequestForm(request.POST, waiting=waiting.values_list("kind", flat=True))
    if not form.is_valid():
        from .case_page import _detail_context  # the page's context includes this panel's

        context = _detail_context(request, case, document_request_form=form)
        return render(request, "cases/detail.html", context, status=400)
    requested = form.cleaned_data["requested"]
    if _apply(request, case, lambda: document_request_add(case=case, requested=requested,
                                                          by=request.user)):  # fmt: skip
        messages.success(request, f"Asked the client for {len(requested)} document"
                                  f"{'s' if len(requested) != 1 else ''}.")  # fmt: skip
    return _back(case)


@require_POST
@staff_view("cases.change_documentrequest")
def document_request_cancel_view(request, pk, request_pk):
    case = _case(pk)
    document_request = get_object_or_404(DocumentRequest, pk=request_pk, case=case)
    if _apply(request, case, lambda: document_request_cancel(document_request=document_request,
                                                             by=request.user)):  # fmt: skip
        messages.success(request, f"Request cancelled: {document_request.get_kind_display()}.")
    return _back(case)


@require_POST
@staff_view("cases.add_preparationlink")
def preparation_link(request, pk):
    case = _case(pk)
    if _apply(request, case, lambda: preparation_link_send(case=case, by=request.user)):
        messages.success(request, f"The secure link will be e-mailed to {case.client.email}; "
                                  "any earlier link no longer works.")  # fmt: skip
    return _back(case)
