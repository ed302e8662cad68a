"""Saving and deleting a user's own dashboard filters."""

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import services
from ..dashboard_forms import SaveFilterForm
from ..saved_filters import DuplicateName, saved_filter_delete, saved_filter_save
from .bulk import dashboard_url
from .common import staff_view
from .dashboard import dashboard_page


@require_POST
@staff_view()
def saved_filter_add(request):
    form = SaveFilterForm(request.POST, user=request.user)
    back = request.POST.get("query", "")[:4000]
    if form.is_valid():
        try:
            saved = saved_filter_save(user=request.user, name=form.cleaned_data["name"],
                                      query=form.cleaned_data["query"])  # fmt: skip
        except DuplicateName:
            form.add_error("name", "You already have a filter with that name.")
        except services.NotAllowed:
            form.add_error("name", "You have the most saved filters kept; delete one first.")
        else:
            messages.success(request, f'Filter "{saved.name}" saved.')
            return redirect(dashboard_url(saved.query))
    return dashboard_page(request, QueryDict(back), save_form=form)


@require_POST
@staff_view()
def saved_filter_remove(request, pk):
    try:
        saved_filter_delete(user=request.user, pk=pk)
    except services.NotAllowed:
        raise Http404 from None
    messages.success(request, "Saved filter deleted.")
    return redirect(dashboard_url(request.POST.get("next", "")[:4000]))
