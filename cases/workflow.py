"""The stages a case moves through, and who may move it where. Plain data and functions."""

from .models import Stage

EARLY = {Stage.NEW, Stage.TRIAGED, Stage.CONSULTATION}
TRANSITIONS: dict[str, set[str]] = {
    Stage.NEW: {Stage.TRIAGED, Stage.DECLINED},
    Stage.TRIAGED: {Stage.CONSULTATION, Stage.DECLINED},
    Stage.CONSULTATION: {Stage.RETAINED, Stage.DECLINED},
    Stage.RETAINED: {Stage.PREPARING, Stage.CLOSED},
    Stage.PREPARING: {Stage.FILED, Stage.CLOSED},
    Stage.FILED: {Stage.AWAITING, Stage.CLOSED},
    Stage.AWAITING: {Stage.CLOSED},
    Stage.CLOSED: set(),
    Stage.DECLINED: set(),
}
# Taking on or ending the firm's representation is an attorney's decision.
FINAL = {Stage.RETAINED, Stage.CLOSED}


def allowed_transitions(stage: str) -> list[str]:
    return [s for s in Stage.values if s in TRANSITIONS.get(stage, set())]


def may_move(user, stage_from: str, stage_to: str) -> bool:
    if stage_to not in TRANSITIONS.get(stage_from, set()):
        return False
    if not user.has_perm("cases.change_case"):
        return False
    return stage_to not in FINAL or user.has_perm("cases.change_stage_final")
