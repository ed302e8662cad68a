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
# Taking on, declining or ending the firm's representation is an attorney's decision, and
# so is taking back an ended case.
FINAL = {Stage.RETAINED, Stage.CLOSED, Stage.DECLINED}
# Declining tells a frightened person the firm will not help: never without a reason on
# record (StageChange.reason), whichever path declines.
NEEDS_REASON = {Stage.DECLINED}
REASON_MAX_LENGTH = 2000


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
    if stage_to == Stage.FILED:
        # The move records the filing on the claim (services.case_move_stage).
        return user.has_perm("cases.change_asylumclaim")
    return True


def moves_for(user, stage: str) -> list[str]:
    """The stages this user may move a case to from `stage`, in workflow order."""
    return [to for to in allowed_transitions(stage) if may_move(user, stage, to)]


def needs_reason(stage_to: str) -> bool:
    return stage_to in NEEDS_REASON
