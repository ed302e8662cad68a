"""The stages a case moves through, and who may move it where. Plain data and functions."""

from .models import Stage

EARLY = {Stage.NEW, Stage.TRIAGED, Stage.CONSULTATION}
# An ended case comes back to where the firm's decision was taken: a closed case to the
# representation it ended, a declined one to the assessment before the consultation.
REOPEN = {Stage.CLOSED: Stage.RETAINED, Stage.DECLINED: Stage.TRIAGED}
TRANSITIONS: dict[str, set[str]] = {
    Stage.NEW: {Stage.TRIAGED, Stage.DECLINED},
    Stage.TRIAGED: {Stage.CONSULTATION, Stage.DECLINED},
    Stage.CONSULTATION: {Stage.RETAINED, Stage.DECLINED},
    Stage.RETAINED: {Stage.PREPARING, Stage.CLOSED},
    Stage.PREPARING: {Stage.FILED, Stage.CLOSED},
    Stage.FILED: {Stage.AWAITING, Stage.CLOSED},
    Stage.AWAITING: {Stage.CLOSED},
    **{ended: {back} for ended, back in REOPEN.items()},
}
# Taking on or ending the firm's representation is an attorney's decision, and so is
# taking back an ended case.
FINAL = {Stage.RETAINED, Stage.CLOSED}


def allowed_transitions(stage: str) -> list[str]:
    return [s for s in Stage.values if s in TRANSITIONS.get(stage, set())]


def is_reopening(stage_from: str, stage_to: str) -> bool:
    return REOPEN.get(stage_from) == stage_to


def may_move(user, stage_from: str, stage_to: str) -> bool:
    if stage_to not in TRANSITIONS.get(stage_from, set()):
        return False
    if not user.has_perm("cases.change_case"):
        return False
    if stage_to in FINAL or is_reopening(stage_from, stage_to):
        return user.has_perm("cases.change_stage_final")
    return True
