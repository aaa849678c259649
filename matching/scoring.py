"""Hard constraints as a mask and the transparent soft score, vectorised with NumPy."""

from dataclasses import dataclass

import numpy as np

from matching.problem import GENDER_UNKNOWN, Problem

CRITERIA = ("language", "district", "themes", "availability", "waiting", "age")
WAITING_FULL_DAYS = 180
SLOTS_FOR_FULL_AVAILABILITY = 4


@dataclass
class Edges:
    """Candidate pairs and their scores; `points` splits a score by criterion."""

    newcomer: np.ndarray
    volunteer: np.ndarray
    score: np.ndarray


def constraints(problem: Problem, rows: slice | np.ndarray) -> dict[str, np.ndarray]:
    """Each hard constraint as an (n, V) bool mask, named like the leftover reasons."""
    n = lambda array: array[rows][:, None]  # noqa: E731 (a local shorthand for broadcasting)
    v = lambda array: array[None, :]  # noqa: E731
    return {
        "language": (n(problem.n_conversational) & v(problem.v_conversational)) != 0,
        "clearance": ~n(problem.n_minors) | v(problem.v_clearance),
        "minors": ~n(problem.n_minors) | v(problem.v_accepts_minors),
        "family": ~n(problem.n_family) | v(problem.v_accepts_families),
        "gender": ~n(problem.n_same_gender)
        | ((n(problem.n_gender) == v(problem.v_gender)) & (n(problem.n_gender) != GENDER_UNKNOWN)),
    }


def feasible(problem: Problem, rows: slice | np.ndarray) -> np.ndarray:
    """(n, V) bool: every hard constraint holds for the pair."""
    masks = iter(constraints(problem, rows).values())
    result = next(masks).copy()
    for mask in masks:
        result &= mask
    return result


def _age_closeness(groups: int = 4) -> np.ndarray:
    """Row: newcomer's age bit + 1 (row 0: unknown); column: a volunteer's preference mask.
    A stated preference that fits counts fully, one that does not counts nothing; where
    either side is unknown or does not care, half, as with themes."""
    table = np.full((groups + 1, 1 << groups), 0.5)
    masks = np.arange(1, 1 << groups)
    for bit in range(groups):
        table[bit + 1, masks] = (masks >> bit) & 1
    return table


AGE_CLOSENESS = _age_closeness()


def points(
    problem: Problem, rows: np.ndarray, cols: np.ndarray, weights: dict[str, int]
) -> np.ndarray:
    """Integer points per criterion for the given pairs; each criterion scales 0..weight."""
    nc, nf, nn = problem.n_conversational[rows], problem.n_fluent[rows], problem.n_native[rows]
    vc, vf, vn = problem.v_conversational[cols], problem.v_fluent[cols], problem.v_native[cols]
    level = np.where((nn & vn) != 0, 3, np.where((nf & vf) != 0, 2, np.where((nc & vc) != 0, 1, 0)))
    nd, vd = problem.n_district[rows], problem.v_district[cols]
    known = (nd >= 0) & (vd >= 0)
    near = np.zeros(len(rows), dtype=bool)
    near[known] = problem.neighbours[nd[known], vd[known]]
    district = np.where(known & (nd == vd), 1.0, np.where(near, 0.5, 0.0))
    wanted = problem.n_themes[rows]
    covered = np.bitwise_count(wanted & problem.v_themes[cols]).astype(float)
    themes = np.where(wanted == 0, 0.5, covered / np.maximum(np.bitwise_count(wanted), 1))
    availability = np.minimum(problem.v_weekly_slots[cols], SLOTS_FOR_FULL_AVAILABILITY) / (
        SLOTS_FOR_FULL_AVAILABILITY
    )
    waiting = np.minimum(problem.n_waiting_days[rows], WAITING_FULL_DAYS) / WAITING_FULL_DAYS
    age = AGE_CLOSENESS[problem.n_age[rows] + 1, problem.v_age_preferences[cols]]
    values = np.stack([level / 3, district, themes, availability, waiting, age], axis=1)
    scale = np.array([weights[name] for name in CRITERIA], dtype=float)
    return np.floor(values * scale + 1e-9).astype(np.int32)


def _floor_points(values: np.ndarray, weight: int) -> np.ndarray:
    return np.floor(values * weight + 1e-9).astype(np.int32)


class BlockScorer:
    """The same points as `points`, for a whole block of newcomers against every volunteer.

    What depends on one side only (availability, waiting) and the small lookup tables
    (language level, district, age) are computed once; per pair only table look-ups and adds.
    """

    def __init__(self, problem: Problem, weights: dict[str, int]) -> None:
        self.problem = problem
        self.language = _floor_points(np.arange(4) / 3, weights["language"])
        districts = len(problem.neighbours)
        # One extra row and column of zeros for people whose district is unknown (-1).
        closeness = np.zeros((districts + 1, districts + 1))
        closeness[:districts, :districts] = np.where(problem.neighbours, 0.5, 0.0)
        np.fill_diagonal(closeness[:districts, :districts], 1.0)
        self.district = _floor_points(closeness, weights["district"])
        self.themes_weight = weights["themes"]
        self.themes_none_wanted = int(_floor_points(np.array(0.5), weights["themes"]))
        self.wanted = np.bitwise_count(problem.n_themes).astype(np.int32)
        slots = np.minimum(problem.v_weekly_slots, SLOTS_FOR_FULL_AVAILABILITY)
        self.availability = _floor_points(
            slots / SLOTS_FOR_FULL_AVAILABILITY, weights["availability"]
        )
        days = np.minimum(problem.n_waiting_days, WAITING_FULL_DAYS)
        self.waiting = _floor_points(days / WAITING_FULL_DAYS, weights["waiting"])
        self.age = _floor_points(AGE_CLOSENESS, weights["age"])

    def scores(self, rows: slice) -> np.ndarray:
        p = self.problem
        level = ((p.n_conversational[rows, None] & p.v_conversational[None, :]) != 0).astype(
            np.int8
        )
        level += (p.n_fluent[rows, None] & p.v_fluent[None, :]) != 0
        level += (p.n_native[rows, None] & p.v_native[None, :]) != 0
        total = self.language[level]
        total += self.district[p.n_district[rows, None], p.v_district[None, :]]
        covered = np.bitwise_count(p.n_themes[rows, None] & p.v_themes[None, :]).astype(np.int32)
        wanted = self.wanted[rows, None]
        total += np.where(
            wanted == 0,
            self.themes_none_wanted,
            covered * self.themes_weight // np.maximum(wanted, 1),
        )
        total += self.availability[None, :]
        total += self.waiting[rows, None]
        total += self.age[p.n_age[rows, None] + 1, p.v_age_preferences[None, :]]
        return total


RUNNER_UPS = 3
# Pairs per newcomer after the kept ones that pruning remembers for pricing.
RESERVE = 200


@dataclass
class Candidates:
    edges: Edges
    # The best volunteers per newcomer, best first, -1 where there are fewer.
    best: np.ndarray
    # When pruned: the highest score a pair left out can have, per newcomer and per
    # volunteer (a pair is left out only if it is among neither side's best); -1 for none.
    left_out_row: np.ndarray | None = None
    left_out_col: np.ndarray | None = None
    # When pruned: each newcomer's next best pairs after the kept ones, and the highest
    # score of a pair beyond those (-1 for none), so that pricing need not score them again.
    reserve: Edges | None = None
    beyond_reserve: np.ndarray | None = None


def _top_per_row(scores: np.ndarray, count: int) -> np.ndarray:
    """Column indices of the `count` highest scores per row, best first (may include -1 scores)."""
    count = min(count, scores.shape[1])
    if count == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def _rejected_by_row(problem: Problem) -> dict[int, list[int]]:
    rejected: dict[int, list[int]] = {}
    for newcomer, volunteer in problem.rejected:
        rejected.setdefault(newcomer, []).append(volunteer)
    return rejected


def _block_scores(
    scorer: BlockScorer, rows: slice | np.ndarray, rejected: dict[int, list[int]]
) -> np.ndarray:
    """Scores of the rows against every volunteer; -1 where a hard rule or a rejection bars."""
    scores = scorer.scores(rows)
    scores[~feasible(scorer.problem, rows)] = -1
    numbers = range(rows.start, rows.stop) if isinstance(rows, slice) else rows.tolist()
    for position, row in enumerate(numbers):
        if row in rejected:
            scores[position, rejected[row]] = -1
    return scores


def score_edges(
    problem: Problem, weights: dict[str, int], keep: int | None = None, block: int = 256
) -> Candidates:
    """Feasible, not rejected pairs with their scores, built block by block to keep memory flat.

    With `keep`, only pairs among a newcomer's best `keep` volunteers or a volunteer's best
    `keep` newcomers survive, and the best score left out on each side is recorded so that
    the solver can price the left-out pairs without scoring them again.
    """
    count, volunteers = problem.sizes
    scorer = BlockScorer(problem, weights)
    best = np.full((count, RUNNER_UPS + 1), -1, dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if keep is not None:
        kept_score = np.full((keep, volunteers), -1, dtype=np.int32)
        kept_row = np.full((keep, volunteers), -1, dtype=np.int64)
        left_out_row = np.full(count, -1, dtype=np.int32)
        beyond_reserve = np.full(count, -1, dtype=np.int32)
        reserve_parts = [(np.zeros(0, dtype=np.int64),) * 3]
    rejected = _rejected_by_row(problem)
    for start in range(0, count, block):
        stop = min(start + block, count)
        scores = _block_scores(scorer, slice(start, stop), rejected)
        top = _top_per_row(scores, RUNNER_UPS + 1)
        usable = np.take_along_axis(scores, top, axis=1) >= 0
        best[start:stop, : top.shape[1]] = np.where(usable, top, -1)
        if keep is None:
            rows, cols = np.nonzero(scores >= 0)
            parts.append((rows + start, cols, scores[rows, cols]))
            continue
        top = _top_per_row(scores, keep + RESERVE)
        top_scores = np.take_along_axis(scores, top, axis=1)
        if keep < volunteers:
            left_out_row[start:stop] = top_scores[:, keep - 1]
        if keep + RESERVE < volunteers:
            beyond_reserve[start:stop] = top_scores[:, -1]
        usable = top_scores >= 0
        row_index = np.broadcast_to(np.arange(start, stop)[:, None], top.shape)
        kept, spare = usable.copy(), usable.copy()
        kept[:, keep:] = False
        spare[:, :keep] = False
        parts.append((row_index[kept], top[kept], top_scores[kept]))
        reserve_parts.append((row_index[spare], top[spare], top_scores[spare]))
        merged_score = np.vstack([kept_score, scores])
        merged_row = np.vstack(
            [kept_row, np.broadcast_to(np.arange(start, stop)[:, None], scores.shape)]
        )
        # The kept rows plus at least one new row always exceed `keep`, so this partition is valid.
        take = np.argpartition(-merged_score, keep - 1, axis=0)[:keep]
        kept_score = np.take_along_axis(merged_score, take, axis=0)
        kept_row = np.take_along_axis(merged_row, take, axis=0)
    left_out = (None, None)
    if keep is not None:
        usable = kept_score >= 0
        columns = np.broadcast_to(np.arange(volunteers), kept_row.shape)
        parts.append((kept_row[usable], columns[usable], kept_score[usable]))
        # With fewer newcomers than `keep` the -1 fill stays in and nothing is left out.
        reserve = Edges(
            *(
                np.concatenate([part[i] for part in reserve_parts]).astype(np.int32)
                for i in range(3)
            )
        )
        left_out = (left_out_row, kept_score.min(axis=0), reserve, beyond_reserve)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(Edges(empty, empty, np.zeros(0, dtype=np.int32)), best, *left_out)
    rows = np.concatenate([part[0] for part in parts]).astype(np.int64)
    cols = np.concatenate([part[1] for part in parts]).astype(np.int64)
    scores = np.concatenate([part[2] for part in parts]).astype(np.int32)
    if keep is not None:
        # Both sides may have kept the same pair.
        _, first = np.unique(rows * max(volunteers, 1) + cols, return_index=True)
        rows, cols, scores = rows[first], cols[first], scores[first]
    return Candidates(Edges(rows, cols, scores), best, *left_out)


KEPT_MARGIN = 10


class LeftOutPairs:
    """The pairs a pruned candidate set left out, priced against the solver's limits.

    A left-out pair scores at most the lower of its two sides' left-out bounds, so only the
    newcomers with a pair whose bound passes the limit are scored again. Each newcomer
    starts with the reserve that scoring kept; a row scored again keeps its pairs above the
    row limit (at most `per_row`, the best, and the
    score they beat): while the row limit stays at or above that score no other pair of the
    row can pass (volunteers' limits are never negative), so later rounds look only at the
    kept pairs.
    """

    def __init__(self, problem: Problem, weights: dict[str, int], candidates: Candidates) -> None:
        self.problem = problem
        self.scorer = BlockScorer(problem, weights)
        self.rejected = _rejected_by_row(problem)
        self.left_out_row = candidates.left_out_row
        self.left_out_col = candidates.left_out_col
        self.kept_above = candidates.beyond_reserve.astype(np.int64)
        self.kept = candidates.reserve

    def above(
        self,
        row_limit: np.ndarray,
        col_limit: np.ndarray,
        per_row: int,
        kept_per_row: int = 1_000,
        block: int = 256,
    ) -> Edges:
        """Feasible, not rejected left-out pairs scoring above row_limit[i] + col_limit[j], at
        most `per_row` per newcomer (those above by most); none only if there are none."""
        settled = row_limit >= self.kept_above
        kept = self.kept
        passing = settled[kept.newcomer] & (
            kept.score > row_limit[kept.newcomer] + col_limit[kept.volunteer]
        )
        parts = [(kept.newcomer[passing], kept.volunteer[passing], kept.score[passing])]
        kept_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        scored = [np.zeros(0, dtype=np.int64)]
        # Volunteers' limits are never negative: a row whose own bound is within its limit
        # has nothing left out that could pass.
        maybe = np.flatnonzero(~settled & (self.left_out_row > row_limit))
        for start in range(0, len(maybe), block):
            rows = maybe[start : start + block]
            bound = np.minimum(self.left_out_row[rows, None], self.left_out_col)
            limit = row_limit[rows, None] + col_limit[None, :]
            rows = rows[((bound >= 0) & (bound > limit)).any(axis=1)]
            if len(rows) == 0:
                continue
            scores = _block_scores(self.scorer, rows, self.rejected)
            # Some room below the limit, so that a slightly lower limit in a later round
            # still finds the row settled.
            keep_above = row_limit[rows] - KEPT_MARGIN
            if scores.shape[1] > kept_per_row:
                # A newcomer nobody was found for passes with every pair: keep only the best.
                beyond = -np.partition(-scores, kept_per_row, axis=1)[:, kept_per_row]
                keep_above = np.maximum(keep_above, beyond)
            positions, cols = np.nonzero((scores > keep_above[:, None]) & (scores >= 0))
            kept_parts.append((rows[positions], cols, scores[positions, cols]))
            self.kept_above[rows] = keep_above
            scored.append(rows)
            above = scores > row_limit[rows, None] + col_limit[None, :]
            positions, cols = np.nonzero(above & (scores >= 0))
            parts.append((rows[positions], cols, scores[positions, cols]))
        # What is kept of the rows scored again replaces what was kept of them before.
        earlier = np.isin(kept.newcomer, np.concatenate(scored), invert=True)
        kept_parts.append((kept.newcomer[earlier], kept.volunteer[earlier], kept.score[earlier]))
        self.kept = Edges(
            *(np.concatenate([part[i] for part in kept_parts]).astype(np.int32) for i in range(3))
        )
        rows, cols, scores = (np.concatenate([part[i] for part in parts]) for i in range(3))
        rows, cols = rows.astype(np.int64), cols.astype(np.int64)
        # A newcomer left out of the first solve passes with every feasible pair; the ones
        # that pass by most are enough to move on, and keep the next solve small.
        excess = scores - row_limit[rows] - col_limit[cols]
        order = np.lexsort((-excess, rows))
        first = np.searchsorted(rows[order], rows[order])
        chosen = order[np.arange(len(order)) - first < per_row]
        return Edges(rows[chosen], cols[chosen], scores[chosen].astype(np.int32))
