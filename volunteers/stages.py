"""The onboarding journey as an explicit state machine: these moves, and no others.

Pausing is possible from every stage but "withdrawn" and resuming returns to the stage before
the pause; withdrawing is possible from every stage (the right to withdraw at any time).
"""

from datetime import datetime

from django.utils.translation import gettext as _

from volunteers.models import Stage, Volunteer

# Basic training done, cleared where needed, and neither paused nor withdrawn: the stages in
# which someone may accompany a newcomer, take a task or mediate. The one definition.
ACCOMPANYING_STAGES = (Stage.READY, Stage.ACTIVE)

# The stages that need a valid police clearance (always, or for work with minors).
CLEARANCE_GUARDED = frozenset({Stage.CLEARANCE_CHECKED, Stage.READY})

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


def refusal(
    *,
    volunteer: Volunteer,
    to_stage: Stage,
    has_valid_clearance: bool,
    first_conversation_at: datetime | None = None,
) -> str | None:
    """Why this volunteer cannot move to this stage now, or None: the one place of the rules
    that a single move and the bulk move's summary both apply."""
    if to_stage == Stage.WITHDRAWN:
        if volunteer.stage == Stage.WITHDRAWN:
            return _("This volunteer has already withdrawn.")
        return None
    if not is_allowed(volunteer.stage, to_stage):
        return _("A volunteer cannot go from “%(from)s” to “%(to)s”.") % {
            "from": volunteer.get_stage_display(),
            "to": to_stage.label,
        }
    if to_stage == Stage.CONVERSATION_SCHEDULED and first_conversation_at is None:
        return _("Please give the date of the first conversation.")
    if to_stage == Stage.CLEARANCE_CHECKED and not has_valid_clearance:
        return _("Please record the inspected police clearance certificate first.")
    if to_stage == Stage.READY and volunteer.needs_clearance and not has_valid_clearance:
        return _(
            "This volunteer wants to work with minors and needs a valid police "
            "clearance certificate before being ready."
        )
    return None
