"""The case page's rules: which of its forms this user may use, and what needs attention
first (deadlines past due).

Each flag asks for what the form's view and its service require, so a role is never shown a
form that is then refused (tests/cases/test_case_page_roles.py posts every form shown)."""

from .. import services
from ..workflow import moves_for


def forms_allowed(user, case) -> dict:
    has = user.has_perm
    change = has("cases.change_case")
    return {
        "can_change": change,
        # A stage form only with a move this user may make (workflow.may_move).
        "can_move": change and bool(moves_for(user, case.stage)),
        "can_assign": has("cases.assign_case"),
        "can_set_priority": change,
        "can_note": has("cases.add_note"),
        "can_translate": has("cases.view_narrative") and has("cases.change_asylumclaim"),
        "can_resend": has("notifications.change_email"),
        "can_deadlines": has("cases.change_deadline"),
        "can_record_filing": services.may_record_filing(user),
        "can_correct_arrival": has("cases.change_entry"),
    }


def deadlines_past_due(deadlines) -> dict:
    """The open deadlines whose date has passed, most overdue first, for the summary at the
    top of the page (each one is marked in the list too: Deadline.days_overdue)."""
    past = sorted((d for d in deadlines if d.days_overdue), key=lambda d: -d.days_overdue)
    return {"past_due": past}
