"""The I-589 data sheet (HTML, PDF, JSON; with the declaration draft when asked), its
readiness page, and the readiness panel of the case page."""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from .. import services
from ..i589 import EDITION
from ..i589.declaration import declaration_json, declaration_of
from ..i589.items import sheet_for, sheet_json
from ..i589.pdf import sheet_pdf
from ..i589.readiness import readiness_of, readiness_summary
from ..models import CaseAccess
from .common import _case, staff_view

FORMATS = {"html", "pdf", "json"}


def _may_read_narrative(user) -> bool:
    # The case page's rule for the client's account (cases.views.case_page).
    return user.has_perm("cases.view_narrative")


@staff_view()
def i589(request, pk):
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("Unknown format: ask for html, pdf or json.")
    case = _case(pk)
    with_narrative = _may_read_narrative(request.user)
    want_declaration = request.GET.get("include") == "declaration" and with_narrative
    sheet = sheet_for(case, with_narrative=with_narrative)
    declaration = declaration_of(getattr(case.client, "claim", None)) if want_declaration else None
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.I589,
                           detail={"format": fmt, "declaration": bool(want_declaration)})
    name = f"{case.reference or f'case-{case.pk}'}-i589"
    if fmt == "pdf":
        response = HttpResponse(sheet_pdf(sheet, declaration), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "json":
        data = sheet_json(sheet, declaration_json(declaration) if declaration is not None
                          else None)  # fmt: skip
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    return render(request, "cases/i589.html", {
        "case": case, "sheet": sheet, "declaration": declaration, "edition": EDITION,
        "may_read_narrative": with_narrative,
    })  # fmt: skip


@staff_view()
def i589_readiness(request, pk):
    case = _case(pk)
    services.access_record(case=case, user=request.user, action=CaseAccess.Action.VIEW,
                           detail={"page": "i589_readiness"})
    return render(request, "cases/i589_readiness.html",
                  {"case": case, **readiness_summary(readiness_of(case))})


def i589_panel(case) -> dict:
    """The case page's readiness panel (templates/cases/_i589_readiness.html)."""
    return {"i589": readiness_summary(readiness_of(case))}
