"""Random matching problems as arrays, for the engine's tests and the benchmark."""

import numpy as np

from matching.problem import Problem

DISTRICTS = 12
# The weights the engine's array tests score with.
WEIGHTS = {
    "language": 25,
    "district": 20,
    "themes": 20,
    "availability": 15,
    "waiting": 20,
    "age": 10,
}


def random_problem(
    newcomers: int, volunteers: int, seed: int, languages: int = 6, rejections: int = 0
) -> Problem:
    rng = np.random.default_rng(seed)

    def language_masks(count: int, extra: float) -> tuple[np.ndarray, ...]:
        native = np.uint64(1) << rng.integers(0, languages, count).astype(np.uint64)
        other = np.uint64(1) << rng.integers(0, languages, count).astype(np.uint64)
        conversational = native | np.where(rng.random(count) < extra, other, np.uint64(0))
        fluent = native | np.where(rng.random(count) < 0.5, conversational, np.uint64(0))
        return conversational, fluent, native

    n_conv, n_fluent, n_native = language_masks(newcomers, 0.6)
    v_conv, v_fluent, v_native = language_masks(volunteers, 0.8)
    neighbours = np.zeros((DISTRICTS, DISTRICTS), dtype=bool)
    for district in range(DISTRICTS - 1):
        neighbours[district, district + 1] = neighbours[district + 1, district] = True
    rejected = {
        (int(rng.integers(newcomers)), int(rng.integers(volunteers)))
        for _ in range(rejections if newcomers and volunteers else 0)
    }
    return Problem(
        newcomer_ids=np.arange(1, newcomers + 1),
        volunteer_ids=np.arange(1, volunteers + 1),
        n_conversational=n_conv,
        n_fluent=n_fluent,
        n_native=n_native,
        n_district=rng.integers(-1, DISTRICTS, newcomers),
        n_gender=rng.integers(0, 4, newcomers),
        n_same_gender=rng.random(newcomers) < 0.2,
        n_family=rng.random(newcomers) < 0.3,
        n_minors=rng.random(newcomers) < 0.3,
        n_themes=rng.integers(0, 64, newcomers).astype(np.uint64),
        n_waiting_days=rng.integers(0, 400, newcomers),
        n_age=rng.integers(-1, 4, newcomers),
        v_conversational=v_conv,
        v_fluent=v_fluent,
        v_native=v_native,
        v_district=rng.integers(-1, DISTRICTS, volunteers),
        v_gender=rng.integers(0, 4, volunteers),
        v_accepts_families=rng.random(volunteers) < 0.5,
        v_accepts_minors=rng.random(volunteers) < 0.5,
        v_clearance=rng.random(volunteers) < 0.7,
        v_themes=rng.integers(0, 64, volunteers).astype(np.uint64),
        v_weekly_slots=rng.integers(0, 8, volunteers),
        v_capacity=rng.integers(1, 4, volunteers),
        v_age_preferences=np.where(
            rng.random(volunteers) < 0.6, 0, rng.integers(1, 16, volunteers)
        ),
        neighbours=neighbours,
        rejected=rejected,
    )


def clustered_problem(
    newcomers: int, volunteers: int, seed: int, shelters: int = 1, rejections: int = 0
) -> Problem:
    """Most newcomers in one or two shelter districts, most of both sides sharing language 0:
    every newcomer's best volunteers are the same few, so top-k pruning alone falls short."""
    problem = random_problem(newcomers, volunteers, seed, rejections=rejections)
    rng = np.random.default_rng(seed + 1)
    in_shelter = rng.random(newcomers) < 0.85
    problem.n_district = np.where(
        in_shelter, rng.integers(0, shelters, newcomers), problem.n_district
    )
    shared = np.uint64(1)
    problem.n_conversational |= np.where(rng.random(newcomers) < 0.85, shared, np.uint64(0))
    problem.v_conversational |= np.where(rng.random(volunteers) < 0.8, shared, np.uint64(0))
    problem.n_fluent |= problem.n_conversational & shared
    problem.v_fluent |= problem.v_conversational & shared
    return problem
