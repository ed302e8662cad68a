"""The admin's entries in the access log (CaseAccess): every admin page a user opens and every
change they make there, on the case the object belongs to. The admin site calls it for each
view (accounts.admin_site.StaffAdminSite.access_recorder)."""

from django.contrib.admin import ModelAdmin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError

from .models import Case, CaseAccess
from .services import access_record

# The admin's JavaScript catalogue: asked by every form page, it shows nothing of anyone.
UNRECORDED = {"jsi18n"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# How each record reaches its case: the admin's view of it is a view of that case.
CASE_OF = {
    "cases.case": "pk",
    "cases.client": "case",
    "cases.entry": "client__case",
    "cases.familymember": "client__case",
    "cases.asylumclaim": "client__case",
    "cases.document": "client__case",
    "cases.deadline": "case",
    "cases.note": "case",
    "cases.stagechange": "case",
    "cases.caseaccess": "case",
    "cases.reminder": "deadline__case",
    "cases.digestentry": "case",
    "cases.notduplicate": "case_low",
    "intake.intakedraft": "case",
    "notifications.email": "case_id",
}
# Bounds on what a URL can make us store.
MAX_PARAMS, MAX_VALUE = 20, 200


def admin_access_record(request, *, view, kwargs, status, started) -> CaseAccess | None:
    match = request.resolver_match
    name = match.url_name if match else ""
    if name in UNRECORDED:
        return None
    model_admin = getattr(view, "__self__", None)
    model = model_admin.model if isinstance(model_admin, ModelAdmin) else None
    object_id = kwargs.get("object_id")
    changing = request.method not in SAFE_METHODS
    detail = {"path": request.path[:MAX_VALUE], "view": name or getattr(view, "__name__", ""),
              "method": request.method, "status": status}  # fmt: skip
    if status == 403:
        detail["refused"] = True
    if model is not None:
        detail["model"] = model._meta.label_lower
    if object_id is not None:
        detail["object"] = str(object_id)[:MAX_VALUE]
    query = _bounded(request.GET)
    if query:
        detail["query"] = query
    if changing:
        entries = LogEntry.objects.filter(user_id=request.user.pk, action_time__gte=started)
        detail["changes"] = [
            f"{entry.object_repr[:MAX_VALUE]}: {entry.get_change_message()[:1000]}"
            for entry in entries.order_by("pk")[:MAX_PARAMS]
        ]
    user = request.user if request.user.is_authenticated else None
    return access_record(
        case=_case_of(model, object_id), user=user,
        action=CaseAccess.Action.ADMIN_CHANGE if changing else CaseAccess.Action.ADMIN_VIEW,
        detail=detail,
    )  # fmt: skip


def _case_of(model, object_id):
    path = CASE_OF.get(model._meta.label_lower) if model is not None else None
    if path is None or object_id is None:
        return None
    try:
        case_id = model._default_manager.filter(pk=object_id).values_list(path, flat=True).first()
    except (ValueError, TypeError, ValidationError):  # not an id of this model: no case
        return None
    return Case.objects.filter(pk=case_id).first() if case_id else None


def _bounded(params) -> dict:
    """The query (filters, a search) as sent, cut to size."""
    return {key[:MAX_VALUE]: params.get(key, "")[:MAX_VALUE]
            for key in list(params)[:MAX_PARAMS]}  # fmt: skip
