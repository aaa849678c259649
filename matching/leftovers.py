"""Why a newcomer stayed unmatched, decided from the same arrays the engine used."""

import numpy as np

from matching.problem import GENDER_UNKNOWN, Problem

NO_SHARED_LANGUAGE = "language"
SAME_GENDER = "gender"
FAMILY = "family"
MINORS = "minors"
ALL_REJECTED = "rejected"
PLACES_TAKEN = "taken"


def reasons_for(problem: Problem, rows: list[int]) -> dict[int, tuple[str, int]]:
    """For each unmatched row: the reason code and how many volunteers it concerns."""
    rejected: dict[int, set[int]] = {}
    for newcomer, volunteer in problem.rejected:
        rejected.setdefault(newcomer, set()).add(volunteer)
    return {row: _reason(problem, row, rejected.get(row, set())) for row in rows}


def _reason(problem: Problem, row: int, rejected: set[int]) -> tuple[str, int]:
    speakers = (problem.n_conversational[row] & problem.v_conversational) != 0
    if not speakers.any():
        return NO_SHARED_LANGUAGE, 0
    blockers = []
    if problem.n_same_gender[row]:
        gender = problem.n_gender[row]
        blockers.append((SAME_GENDER, (problem.v_gender == gender) & (gender != GENDER_UNKNOWN)))
    if problem.n_family[row]:
        blockers.append((FAMILY, problem.v_accepts_families))
    if problem.n_minors[row]:
        blockers.append((MINORS, problem.v_accepts_minors & problem.v_clearance))
    suitable = speakers.copy()
    for _, allowed in blockers:
        suitable &= allowed
    if not suitable.any():
        # Name the wish that rules out the most of the volunteers who speak a shared language.
        reason, _ = max(blockers, key=lambda blocker: int((speakers & ~blocker[1]).sum()))
        return reason, int(speakers.sum())
    if set(np.flatnonzero(suitable).tolist()) <= rejected:
        return ALL_REJECTED, int(suitable.sum())
    return PLACES_TAKEN, int(suitable.sum())
