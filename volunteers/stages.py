"""The onboarding journey as an explicit state machine: these moves, and no others.

Pausing is possible from every stage but "withdrawn" and resuming returns to the stage before
the pause; withdrawing is possible from every stage (the right to withdraw at any time).
"""

from volunteers.models import Stage

# Basic training done, cleared where needed, and neither paused nor withdrawn: the stages in
# which someone may accompany a newcomer, take a task or mediate. The one definition.
ACCOMPANYING_STAGES = (Stage.READY, Stage.ACTIVE)

TRAINED_STAGES = frozenset({Stage.TRAINED, Stage.CLEARANCE_CHECKED, Stage.READY, Stage.ACTIVE})

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.APPLIED: frozenset({Stage.CONVERSATION_SCHEDULED, Stage.CONVERSATION_DONE}),
    Stage.CONVERSATION_SCHEDULED: frozenset({Stage.CONVERSATION_DONE, Stage.APPLIED}),
    Stage.CONVERSATION_DONE: frozenset({Stage.TRAINED}),
    Stage.TRAINED: frozenset({Stage.CLEARANCE_CHECKED, Stage.READY}),
    Stage.CLEARANCE_CHECKED: frozenset({Stage.READY}),
    Stage.READY: frozenset({Stage.ACTIVE}),
    Stage.ACTIVE: frozenset({Stage.READY}),
    Stage.PAUSED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}


def allowed_moves(stage: str) -> list[Stage]:
    """The stages a coordinator may move a volunteer to from here, in journey order."""
    current = Stage(stage)
    moves = set(TRANSITIONS[current])
    if current not in (Stage.PAUSED, Stage.WITHDRAWN):
        moves |= {Stage.PAUSED, Stage.WITHDRAWN}
    if current == Stage.PAUSED:
        moves |= {Stage.WITHDRAWN}
    return [stage for stage in Stage if stage in moves]


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return Stage(to_stage) in allowed_moves(from_stage)
