"""Hard constraints as a mask and the transparent soft score, vectorised with NumPy."""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import numpy as np

from matching.problem import GENDER_UNKNOWN, Problem

CRITERIA = ("language", "district", "themes", "availability", "waiting", "age")
WAITING_FULL_DAYS = 180
SLOTS_FOR_FULL_AVAILABILITY = 4


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Edges:
    """Candidate pairs and their scores; `points` splits a score by criterion."""

    newcomer: np.ndarray
    volunteer: np.ndarray
    score: np.ndarray

    def __getitem__(self, which: np.ndarray | slice) -> "Edges":
        return Edges(self.newcomer[which], self.volunteer[which], self.score[which])

    def __len__(self) -> int:
        return len(self.score)

    @staticmethod
    def joined(*parts: "Edges") -> "Edges":
        return Edges(
            np.concatenate([part.newcomer for part in parts]),
            np.concatenate([part.volunteer for part in parts]),
            np.concatenate([part.score for part in parts]),
        )


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


def _kinds(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One newcomer standing for each distinct combination of the columns' values, and the
    combination of each newcomer (an index into the first)."""
    keys = np.stack([column.astype(np.int64) for column in columns], axis=1)
    _, first, kind = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, kind.ravel()


Rows = slice | np.ndarray


class _PerKind:
    """A criterion against every volunteer, computed once per distinct value of what it
    reads of a newcomer: a city has a few dozen language profiles and some hundred wishes
    for themes, so a block of newcomers becomes row look-ups. With more distinct values
    than `most` the table would cost more than it saves, and each block is computed."""

    def __init__(
        self,
        compute: Callable[[Rows], np.ndarray],
        *columns: np.ndarray,
        dtype: type = np.int16,
        most: int = 2_000,
    ) -> None:
        self.compute = compute
        first, self.kind = _kinds(*columns)
        # A criterion's points are at most its weight, 100: 16 bits hold them.
        self.table = compute(first).astype(dtype) if len(first) <= most else None

    def __call__(self, rows: Rows) -> np.ndarray:
        if self.table is None:
            return self.compute(rows)
        return self.table[self.kind[rows]]


class BlockScorer:
    """The same points as `points`, for a whole block of newcomers against every volunteer.

    What depends on one side only (availability, waiting) is computed once, and so is each
    criterion per kind of newcomer (see `_PerKind`); per block only look-ups and adds.
    """

    def __init__(self, problem: Problem, weights: dict[str, int]) -> None:
        self.problem = problem
        p = problem
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
        self.criteria = [
            _PerKind(self._language, p.n_conversational, p.n_fluent, p.n_native),
            _PerKind(self._district, p.n_district),
            _PerKind(self._themes, p.n_themes),
            _PerKind(self._age, p.n_age),
        ]
        self.feasible = _PerKind(
            partial(feasible, problem),
            *(p.n_conversational, p.n_minors, p.n_family, p.n_same_gender, p.n_gender),
            dtype=bool,
        )

    def _language(self, rows: Rows) -> np.ndarray:
        p = self.problem
        level = ((p.n_conversational[rows, None] & p.v_conversational[None, :]) != 0).astype(
            np.int8
        )
        level += (p.n_fluent[rows, None] & p.v_fluent[None, :]) != 0
        level += (p.n_native[rows, None] & p.v_native[None, :]) != 0
        return self.language[level]

    def _district(self, rows: Rows) -> np.ndarray:
        p = self.problem
        return self.district[p.n_district[rows, None], p.v_district[None, :]]

    def _themes(self, rows: Rows) -> np.ndarray:
        p = self.problem
        covered = np.bitwise_count(p.n_themes[rows, None] & p.v_themes[None, :]).astype(np.int32)
        wanted = self.wanted[rows, None]
        return np.where(
            wanted == 0,
            self.themes_none_wanted,
            covered * self.themes_weight // np.maximum(wanted, 1),
        ).astype(np.int32)

    def _age(self, rows: Rows) -> np.ndarray:
        p = self.problem
        return self.age[p.n_age[rows, None] + 1, p.v_age_preferences[None, :]]

    def scores(self, rows: Rows) -> np.ndarray:
        language, *others = self.criteria
        total = language(rows).astype(np.int32)
        for criterion in others:
            total += criterion(rows)
        total += self.availability[None, :]
        total += self.waiting[rows, None]
        return total


RUNNER_UPS = 3
# Pairs per newcomer after the kept ones that pruning remembers for pricing.
RESERVE = 100


@dataclass
class Candidates:
    edges: Edges
    # The best volunteers per newcomer, best first, -1 where there are fewer.
    best: np.ndarray
    # When pruned: the highest score a pair left out of a volunteer's best can have
    # (-1 for none); a pair among neither side's best scores at most this.
    left_out_col: np.ndarray | None = None
    # When pruned: each newcomer's next best pairs after the kept ones, and the highest
    # score of a pair beyond those (-1 for none), so that pricing need not score them again.
    reserve: list[Edges] | None = None
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
    scores[~scorer.feasible(rows)] = -1
    numbers = range(rows.start, rows.stop) if isinstance(rows, slice) else rows.tolist()
    for position, row in enumerate(numbers):
        if row in rejected:
            scores[position, rejected[row]] = -1
    return scores


class _ColumnBest:
    """Each volunteer's best `keep` newcomers, gathered block by block without every score.

    A block hands over only the pairs above the volunteer's keep-th best so far; when the
    pile grows large it is cut back to `keep` per volunteer, which raises those thresholds.
    Ties go to the lower newcomer index, so the result never depends on when the pile was cut.
    """

    def __init__(self, keep: int, volunteers: int, highest_score: int) -> None:
        self.keep = keep
        self.span = highest_score + 1
        # -1: fewer than `keep` feasible newcomers so far, so nothing is left out yet.
        self.threshold = np.full(volunteers, -1, dtype=np.int32)
        nothing = np.zeros(0, dtype=np.int32)
        self.parts: list[Pairs] = [(nothing,) * 3]
        self.pending = 0
        self.cut_above = max(2 * keep * volunteers, 100_000)

    def add(self, start: int, scores: np.ndarray) -> None:
        rows, cols = np.nonzero(scores > self.threshold[None, :])
        self.parts.append(
            ((rows + start).astype(np.int32), cols.astype(np.int32), scores[rows, cols])
        )
        self.pending += len(rows)
        if self.pending > self.cut_above:
            self.cut()

    def cut(self) -> Pairs:
        rows, cols, scores = (np.concatenate([part[i] for part in self.parts]) for i in range(3))
        volunteers = len(self.threshold)
        # Scores are small whole numbers: count them per volunteer instead of sorting.
        counts = np.bincount(
            cols.astype(np.int64) * self.span + scores, minlength=volunteers * self.span
        )
        at_least = np.cumsum(counts.reshape(volunteers, self.span)[:, ::-1], axis=1)[:, ::-1]
        # The keep-th best score of each volunteer (-1 with fewer), and how many beat it.
        threshold = (at_least >= self.keep).sum(axis=1) - 1
        beaten_by = np.append(at_least, np.zeros((volunteers, 1), dtype=at_least.dtype), axis=1)[
            np.arange(volunteers), threshold + 1
        ]
        kept = scores > threshold[cols]
        # Among those tied with it, the lower newcomers: the pile is in newcomer order.
        tied = np.flatnonzero((scores == threshold[cols]) & (threshold[cols] >= 0))
        order = tied[np.argsort(cols[tied], kind="stable")]
        group_start = np.searchsorted(cols[order], cols[order])
        kept[order] = np.arange(len(order)) - group_start < (self.keep - beaten_by)[cols[order]]
        full = threshold >= 0
        self.threshold[full] = threshold[full]
        self.parts = [(rows[kept], cols[kept], scores[kept])]
        self.pending = int(kept.sum())
        return self.parts[0]


# Threads scoring blocks while the caller takes in earlier ones. NumPy lets go of the
# interpreter inside its loops, so they use both cores of a small server. The first scoring
# gathers each volunteer's best in the caller, which keeps a core busy: one thread is as
# fast as two there and takes 45 MB less (10,000 x 10,000: 2.0 s with one, 2.1 s with two,
# 2.6 s with none). Pricing's caller only collects, so it scores with two.
SCORING_THREADS = 1
PRICING_THREADS = 2

Item = TypeVar("Item")
Result = TypeVar("Result")


def _in_order(
    function: Callable[[Item], Result], items: Iterable[Item], threads: int
) -> Iterator[Result]:
    """function(item) for each item, a few at once in threads, yielded in the items' order."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        # A bounded window, so that memory holds a few blocks, never the whole matrix.
        window: deque[Future[Result]] = deque()
        for item in items:
            window.append(pool.submit(function, item))
            if len(window) > threads:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _scored_blocks(
    scorer: BlockScorer, count: int, block: int, top: int
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """(start, scores, best `top` columns per row, their scores) for each block, in order."""
    rejected = _rejected_by_row(scorer.problem)

    def score(start: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        scores = _block_scores(scorer, slice(start, min(start + block, count)), rejected)
        columns = _top_per_row(scores, top)
        return start, scores, columns, np.take_along_axis(scores, columns, axis=1)

    return _in_order(score, range(0, count, block), SCORING_THREADS)


def score_edges(
    problem: Problem, weights: dict[str, int], keep: int | None = None, block: int = 128
) -> Candidates:
    """Feasible, not rejected pairs with their scores, built block by block to keep memory flat.

    With `keep`, only pairs among a newcomer's best `keep` volunteers or a volunteer's best
    `keep` newcomers survive, and the best score left out on each side is recorded so that
    the solver can price the left-out pairs without scoring them again.
    """
    count, volunteers = problem.sizes
    scorer = BlockScorer(problem, weights)
    best = np.full((count, RUNNER_UPS + 1), -1, dtype=np.int64)
    parts: list[Pairs] = []
    if keep is not None:
        column_best = _ColumnBest(keep, volunteers, sum(weights.values()))
        beyond_reserve = np.full(count, -1, dtype=np.int32)
        reserve: list[Edges] = []
    top_count = RUNNER_UPS + 1 if keep is None else max(keep + RESERVE, RUNNER_UPS + 1)
    for start, scores, top, top_scores in _scored_blocks(scorer, count, block, top_count):
        stop = start + len(scores)
        runner_ups = top[:, : RUNNER_UPS + 1]
        best[start:stop, : runner_ups.shape[1]] = np.where(
            top_scores[:, : RUNNER_UPS + 1] >= 0, runner_ups, -1
        )
        if keep is None:
            rows, cols = np.nonzero(scores >= 0)
            parts.append(
                ((rows + start).astype(np.int32), cols.astype(np.int32), scores[rows, cols])
            )
            continue
        if keep + RESERVE < volunteers:
            beyond_reserve[start:stop] = top_scores[:, keep + RESERVE - 1]
        usable = top_scores >= 0
        row_index = np.broadcast_to(np.arange(start, stop, dtype=np.int32)[:, None], top.shape)
        top = top.astype(np.int32)
        kept, spare = usable.copy(), usable.copy()
        kept[:, keep:] = False
        spare[:, :keep] = False
        parts.append((row_index[kept], top[kept], top_scores[kept]))
        reserve.append(Edges(row_index[spare], top[spare], top_scores[spare]))
        column_best.add(start, scores)
    pruned: dict[str, Any] = {}
    if keep is not None:
        parts.append(column_best.cut())
        pruned = {
            "left_out_col": column_best.threshold,
            "reserve": reserve,
            "beyond_reserve": beyond_reserve,
        }
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(Edges(empty, empty, np.zeros(0, dtype=np.int32)), best, **pruned)
    rows, cols, scores = (np.concatenate([part[i] for part in parts]) for i in range(3))
    if keep is not None:
        # Both sides may have kept the same pair.
        _, first = np.unique(rows.astype(np.int64) * max(volunteers, 1) + cols, return_index=True)
        rows, cols, scores = rows[first], cols[first], scores[first]
    rows, cols, scores = rows.astype(np.int64), cols.astype(np.int64), scores.astype(np.int32)
    return Candidates(Edges(rows, cols, scores), best, **pruned)


KEPT_MARGIN = 10


class LeftOutPairs:
    """The pairs a pruned candidate set left out, priced against the solver's limits.

    Each newcomer starts with the reserve that scoring kept and a bound on every pair beyond
    it (`kept_above`); a pair among neither side's best also scores at most the volunteer's
    left-out bound. Only a newcomer with a feasible pair whose bound passes the limits is
    scored again; it then keeps its pairs above its limit less a margin (at most
    `kept_per_row`, the best) and the score they beat becomes its bound. The kept pairs
    themselves are priced every round without scoring.
    """

    def __init__(self, problem: Problem, weights: dict[str, int], candidates: Candidates) -> None:
        self.problem = problem
        self.scorer = BlockScorer(problem, weights)
        self.rejected = _rejected_by_row(problem)
        self.left_out_col = candidates.left_out_col
        self.kept_above = candidates.beyond_reserve.astype(np.int32)
        # Taken over: the reserve is replaced piece by piece as rows are scored again.
        self.kept, candidates.reserve = candidates.reserve, None

    def above(
        self,
        row_limit: np.ndarray,
        col_limit: np.ndarray,
        per_row: int,
        kept_per_row: int = 1_000,
        block: int = 128,
    ) -> Edges:
        """Feasible, not rejected left-out pairs scoring above row_limit[i] + col_limit[j], at
        most `per_row` per newcomer (those above by most); none only if there are none."""
        # A pair neither among the candidates nor kept scores at most the row's kept_above
        # and the volunteer's left-out bound; -1 there means nothing feasible is beyond.
        beyond = self.kept_above
        maybe = np.flatnonzero((beyond >= 0) & (beyond > row_limit))

        def rescore(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, Edges, Pairs]:
            bound = np.minimum(beyond[rows, None], self.left_out_col[None, :])
            passing = bound > row_limit[rows, None] + col_limit[None, :]
            # Only a feasible pair can pass: most rows need no scoring at all.
            passing[passing.any(axis=1)] &= self.scorer.feasible(rows[passing.any(axis=1)])
            rows = rows[passing.any(axis=1)]
            scores = _block_scores(self.scorer, rows, self.rejected)
            # Some room below the limit, so that a slightly lower limit in a later round
            # still finds the row settled.
            # (-1 and below alike: every feasible pair of the row is kept.)
            keep_above = np.maximum(row_limit[rows] - KEPT_MARGIN, -1).astype(np.int32)
            if scores.shape[1] > kept_per_row:
                # A newcomer nobody was found for passes with every pair: keep only the best.
                beyond_kept = -np.partition(-scores, kept_per_row, axis=1)[:, kept_per_row]
                keep_above = np.maximum(keep_above, beyond_kept)
            positions, cols = np.nonzero((scores > keep_above[:, None]) & (scores >= 0))
            kept = Edges(
                rows[positions].astype(np.int32), cols.astype(np.int32), scores[positions, cols]
            )
            above = scores > row_limit[rows, None] + col_limit[None, :]
            positions, cols = np.nonzero(above & (scores >= 0))
            passing = (rows[positions], cols, scores[positions, cols])
            return rows, keep_above, kept, _best_per_row(*passing, row_limit, col_limit, per_row)

        scored: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        parts: list[Pairs] = [(np.zeros(0, dtype=np.int64),) * 3]
        kept_parts: list[Edges] = []
        blocks = (maybe[start : start + block] for start in range(0, len(maybe), block))
        for rows, keep_above, kept_part, passing_part in _in_order(
            rescore, blocks, PRICING_THREADS
        ):
            self.kept_above[rows] = keep_above
            scored.append(rows)
            if len(kept_part):
                kept_parts.append(kept_part)
            parts.append(passing_part)
        # What was kept of the rows scored again is replaced; the others' kept pairs are priced.
        # The pile runs into millions of pairs: it is kept in pieces, and only the pieces
        # with a row scored again are copied.
        was_scored = np.zeros(len(row_limit), dtype=bool)
        was_scored[np.concatenate(scored)] = True
        for piece in self.kept:
            unscored = ~was_scored[piece.newcomer]
            if not unscored.all():
                piece = piece[unscored]
            passing = piece.score > row_limit[piece.newcomer] + col_limit[piece.volunteer]
            parts.append((piece.newcomer[passing], piece.volunteer[passing], piece.score[passing]))
            if len(piece):
                kept_parts.append(piece)
        self.kept = kept_parts
        rows, cols, scores = (np.concatenate([part[i] for part in parts]) for i in range(3))
        rows, cols, scores = _best_per_row(rows, cols, scores, row_limit, col_limit, per_row)
        return Edges(rows.astype(np.int64), cols.astype(np.int64), scores.astype(np.int32))


def _best_per_row(
    rows: np.ndarray,
    cols: np.ndarray,
    scores: np.ndarray,
    row_limit: np.ndarray,
    col_limit: np.ndarray,
    per_row: int,
) -> Pairs:
    """The `per_row` pairs of each row that pass their limits by most.

    A newcomer left out of a solve passes with every feasible pair; the ones that pass by
    most are enough to move on, and keep the next solve (and memory) small.
    """
    excess = scores - row_limit[rows] - col_limit[cols]
    order = np.lexsort((-excess, rows))
    first = np.searchsorted(rows[order], rows[order])
    chosen = order[np.arange(len(order)) - first < per_row]
    return rows[chosen], cols[chosen], scores[chosen]
