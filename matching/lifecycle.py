"""A mentorship's life as an explicit state machine: these moves, and no others.

Ending is possible from every state but "ended"; an ended mentorship stays ended (a new
start is a new proposal, so its history stays readable).
"""

from matching.models import Mentorship

State = Mentorship.State

TRANSITIONS: dict[str, frozenset[str]] = {
    State.PROPOSED: frozenset({State.INTRODUCED, State.ENDED}),
    State.INTRODUCED: frozenset({State.ACTIVE, State.ENDED}),
    State.ACTIVE: frozenset({State.PAUSED, State.ENDED}),
    State.PAUSED: frozenset({State.ACTIVE, State.ENDED}),
    State.ENDED: frozenset(),
}


def allowed_moves(state: str) -> list[State]:
    return [choice for choice in State if choice in TRANSITIONS[State(state)]]
