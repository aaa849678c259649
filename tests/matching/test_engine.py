"""The engine on arrays: hard constraints, optimality against brute force and greedy, pruning."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import solver
from matching.problem import GENDER_UNKNOWN
from matching.scoring import CRITERIA, feasible, points, score_edges
from tests.matching.problems import WEIGHTS, random_problem


def solve(problem, keep=None):
    candidates = score_edges(problem, WEIGHTS, keep=keep)
    assignment = solver.optimal(candidates.edges, problem.v_capacity, problem.sizes[0])
    return candidates, assignment


@settings(max_examples=60, deadline=None)
@given(
    newcomers=st.integers(0, 25),
    volunteers=st.integers(0, 25),
    seed=st.integers(0, 10_000),
    rejections=st.integers(0, 30),
)
def test_every_proposed_pair_keeps_every_hard_constraint(newcomers, volunteers, seed, rejections):
    problem = random_problem(newcomers, volunteers, seed, rejections=rejections)
    _, assignment = solve(problem)

    load = np.zeros(volunteers, dtype=int)
    for row, col in assignment.items():
        assert problem.n_conversational[row] & problem.v_conversational[col]
        if problem.n_minors[row]:
            assert problem.v_clearance[col]
            assert problem.v_accepts_minors[col]
        if problem.n_family[row]:
            assert problem.v_accepts_families[col]
        if problem.n_same_gender[row]:
            assert problem.n_gender[row] == problem.v_gender[col] != GENDER_UNKNOWN
        assert (row, col) not in problem.rejected
        load[col] += 1
    assert (load <= problem.v_capacity).all()


def brute_force(problem):
    """The best (matched count, total score) over every assignment: only for tiny problems."""
    count, volunteers = problem.sizes
    candidates = score_edges(problem, WEIGHTS)
    score = {
        (int(n), int(v)): int(s)
        for n, v, s in zip(
            *[candidates.edges.newcomer, candidates.edges.volunteer],
            candidates.edges.score,
            strict=True,
        )
    }
    best = (0, 0)
    for choice in itertools.product([None, *range(volunteers)], repeat=count):
        if any(v is not None and (n, v) not in score for n, v in enumerate(choice)):
            continue
        load = np.bincount([v for v in choice if v is not None], minlength=volunteers)
        if (load > problem.v_capacity).any():
            continue
        pairs = [(n, v) for n, v in enumerate(choice) if v is not None]
        best = max(best, (len(pairs), sum(score[pair] for pair in pairs)))
    return best


def test_optimum_equals_brute_force_on_small_random_instances():
    for seed in range(40):
        problem = random_problem(5, 4, seed, rejections=2)
        problem.v_capacity = np.minimum(problem.v_capacity, 2)
        candidates, assignment = solve(problem)
        assert (len(assignment), solver.total(candidates.edges, assignment)) == brute_force(problem)


def test_optimum_beats_greedy_where_greedy_takes_the_only_volunteer_of_someone_else():
    # Volunteer 0 suits both newcomers best; newcomer 1 can only go to volunteer 0.
    problem = random_problem(2, 2, seed=1)
    problem.n_conversational[:] = np.array([0b11, 0b01], dtype=np.uint64)
    problem.v_conversational[:] = np.array([0b01, 0b10], dtype=np.uint64)
    # Newcomer 0 speaks language 0 natively and language 1 only conversationally.
    problem.n_native[:] = problem.n_fluent[:] = np.array([0b01, 0b01], dtype=np.uint64)
    problem.v_native[:] = problem.v_fluent[:] = problem.v_conversational
    problem.n_same_gender[:] = problem.n_family[:] = problem.n_minors[:] = False
    problem.n_district[:] = problem.v_district[:] = -1
    problem.n_themes[:] = problem.v_themes[:] = 0
    problem.v_weekly_slots[:] = 4
    problem.v_capacity[:] = 1
    problem.n_waiting_days[:] = [400, 0]
    candidates, assignment = solve(problem)
    greedy = solver.greedy(candidates.edges, problem.v_capacity)

    assert greedy == {0: 0}
    assert assignment == {0: 1, 1: 0}


def test_every_score_is_the_sum_of_its_criteria_within_their_weights():
    problem = random_problem(300, 200, seed=3)
    edges = score_edges(problem, WEIGHTS, block=64).edges
    split = points(problem, edges.newcomer, edges.volunteer, WEIGHTS)

    assert len(edges.score) > 1_000
    assert (edges.score == split.sum(axis=1)).all()
    for position, name in enumerate(CRITERIA):
        assert (split[:, position] >= 0).all()
        assert (split[:, position] <= WEIGHTS[name]).all()
    assert (split[:, 0] == WEIGHTS["language"]).any()


def test_candidate_pairs_are_exactly_the_feasible_unrejected_ones():
    problem = random_problem(40, 30, seed=4, rejections=25)
    edges = score_edges(problem, WEIGHTS).edges
    expected = {
        (int(n), int(v)) for n, v in zip(*np.nonzero(feasible(problem, slice(None))), strict=True)
    } - problem.rejected

    assert set(zip(edges.newcomer.tolist(), edges.volunteer.tolist(), strict=True)) == expected


def test_pruned_candidates_priced_out_reach_the_exact_count_and_score_with_few_pairs():
    problem = random_problem(1_500, 1_200, seed=5, languages=8)
    exact_candidates, exact = solve(problem)
    pruned, edges = solver.best_assignment(problem, WEIGHTS, score_edges(problem, WEIGHTS, 40))

    assert len(edges.score) < len(exact_candidates.edges.score) / 3
    assert len(pruned) == len(exact)
    assert solver.total(edges, pruned) == solver.total(exact_candidates.edges, exact)


def test_runner_ups_are_the_best_other_candidates_in_order():
    problem = random_problem(30, 20, seed=6)
    candidates = score_edges(problem, WEIGHTS)
    edges = candidates.edges
    for row in range(30):
        mine = edges.newcomer == row
        scores = dict(zip(edges.volunteer[mine].tolist(), edges.score[mine].tolist(), strict=True))
        listed = [col for col in candidates.best[row].tolist() if col >= 0]
        assert len(listed) == min(4, len(scores))
        assert [scores[col] for col in listed] == sorted(scores.values(), reverse=True)[
            : len(listed)
        ]


def test_an_age_preference_counts_fully_when_it_fits_nothing_when_not_half_when_unknown():
    problem = random_problem(4, 2, seed=3)
    seniors, young = 3, 0
    problem.n_age = np.array([seniors, young, -1, seniors])
    problem.v_age_preferences = np.array([1 << seniors, 0])
    rows = np.array([0, 1, 2, 3])
    age = CRITERIA.index("age")

    preferring = points(problem, rows, np.zeros(4, dtype=np.int64), WEIGHTS)[:, age]
    indifferent = points(problem, rows, np.ones(4, dtype=np.int64), WEIGHTS)[:, age]

    assert preferring.tolist() == [10, 0, 5, 10]
    assert indifferent.tolist() == [5, 5, 5, 5]
