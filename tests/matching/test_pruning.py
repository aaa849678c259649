"""Pruned candidates: the same whatever the blocks and threads, and the bounds they promise."""

import numpy as np
import pytest

from matching import scoring, solver
from matching.scoring import BlockScorer, _ColumnBest, feasible, score_edges
from tests.matching.problems import WEIGHTS, clustered_problem, random_problem


def pairs(edges):
    return set(
        zip(edges.newcomer.tolist(), edges.volunteer.tolist(), edges.score.tolist(), strict=True)
    )


def test_each_volunteers_best_are_found_whenever_the_pile_is_cut():
    rng = np.random.default_rng(1)
    scores = rng.integers(-1, 30, size=(600, 40)).astype(np.int32)
    best = _ColumnBest(keep=7, volunteers=40, highest_score=29)
    # Cut after nearly every block, far more often than in a real run.
    best.cut_above = 50
    for start in range(0, 600, 16):
        best.add(start, scores[start : start + 16])
    rows, cols, kept_scores = best.cut()

    for col in range(40):
        # Best first, ties to the lower newcomer: what the pile must hold for this volunteer.
        ranked = sorted((-scores[row, col], row) for row in range(600) if scores[row, col] >= 0)
        expected = {row for _, row in ranked[:7]}
        assert set(rows[cols == col].tolist()) == expected
        assert best.threshold[col] == -ranked[6][0]
    assert (kept_scores == scores[rows, cols]).all()


@pytest.mark.parametrize("layout", ["random", "clustered"])
def test_pruned_candidates_do_not_depend_on_the_blocks_or_the_threads(layout, monkeypatch):
    problem = (
        random_problem(300, 120, seed=8, rejections=40)
        if layout == "random"
        else clustered_problem(300, 120, seed=8, shelters=1, rejections=40)
    )
    whole = score_edges(problem, WEIGHTS, keep=9, block=1_000)
    monkeypatch.setattr(scoring, "SCORING_THREADS", 3)
    in_blocks = score_edges(problem, WEIGHTS, keep=9, block=7)

    assert pairs(in_blocks.edges) == pairs(whole.edges)
    assert (in_blocks.best == whole.best).all()
    assert (in_blocks.beyond_reserve == whole.beyond_reserve).all()
    assert (in_blocks.left_out_col == whole.left_out_col).all()


def test_every_pair_left_out_scores_within_both_bounds():
    problem = clustered_problem(400, 150, seed=9, shelters=2, rejections=30)
    candidates = score_edges(problem, WEIGHTS, keep=5, block=16)
    every = score_edges(problem, WEIGHTS).edges
    kept = {(row, col) for row, col, _ in pairs(candidates.edges)}
    reserve = {
        (row, col)
        for piece in candidates.reserve
        for row, col in zip(piece.newcomer.tolist(), piece.volunteer.tolist(), strict=True)
    }

    left_out = [(row, col, score) for row, col, score in pairs(every) if (row, col) not in kept]
    assert left_out
    for row, col, score in left_out:
        assert score <= candidates.left_out_col[col]
        if (row, col) not in reserve:
            assert score <= candidates.beyond_reserve[row]
    assert kept | reserve <= {(row, col) for row, col, _ in pairs(every)}


def test_the_rounds_set_candidates_aside_and_still_reach_the_exact_optimum():
    problem = clustered_problem(500, 300, seed=10, shelters=1, rejections=20)
    every = score_edges(problem, WEIGHTS).edges
    exact = solver.optimal(every, problem.v_capacity, 500)

    pruned, last_solved = solver.best_assignment(problem, WEIGHTS, score_edges(problem, WEIGHTS, 8))

    assert len(pruned) == len(exact)
    assert solver.total(every, pruned) == solver.total(every, exact)
    # Fewer pairs in the last solve than were ever candidates: some sat out.
    assert len(last_solved) < len(score_edges(problem, WEIGHTS, 8).edges)
    for row, col in pruned.items():
        assert feasible(problem, np.array([row]))[0, col]


def test_scores_looked_up_per_kind_of_newcomer_equal_scores_computed_pair_by_pair():
    problem = random_problem(400, 90, seed=11, languages=9)
    looked_up = BlockScorer(problem, WEIGHTS)
    computed = BlockScorer(problem, WEIGHTS)
    for criterion in [*computed.criteria, computed.feasible]:
        criterion.table = None
    rows = np.array([0, 5, 399, 17, 17, 250])

    assert all(criterion.table is not None for criterion in looked_up.criteria)
    assert (looked_up.scores(rows) == computed.scores(rows)).all()
    assert (looked_up.scores(slice(10, 300)) == computed.scores(slice(10, 300))).all()
    assert (looked_up.feasible(rows) == feasible(problem, rows)).all()
