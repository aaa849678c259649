"""The assignment: as many newcomers as possible, then the highest total score, exactly.

Volunteers who take several newcomers appear once per free place. SciPy's sparse
minimum-weight full bipartite matching (LAPJVsp) solves it; every newcomer also has a
private "nobody" column so that a full matching always exists.

Costs come from the scores of the problem at hand, whatever the weights: a real pair costs
(best score + 1) - score, so never zero (SciPy takes an explicit zero for a missing edge),
and "nobody" costs more than any full set of real pairs, so one more matched newcomer always
beats any gain in score. Every cost and every sum of them is an integer below 2**53, which
float64 holds exactly.

With pruned candidates the solve is followed by pricing: the matching's dual prices (one
per newcomer, one per volunteer) prove it optimal among the candidates; a pair left out
that the prices would not pay for is added and the solve repeated, until every feasible
pair is paid for. Then the matching is optimal among all pairs, by linear-programming
duality, not just close to it. Candidates the prices pay for with room to spare are set
aside before the next solve (its time grows with its pairs) and priced like the pairs left
out, so they come back whenever they would pay.
"""

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ankommen.memory import release_freed_memory
from matching.problem import Problem
from matching.scoring import Candidates, Edges, LeftOutPairs

EXACT_IN_FLOAT64 = 2**53
# Left-out pairs one newcomer brings back per pricing round at most.
ADDED_PER_NEWCOMER = 100
# A candidate whose score is this many points below what the prices pay for sits out the
# next solve. Measured on clustered cities of 10,000 (bench/matching.py): 5 needs one more
# round than keeping every candidate, but each later solve has a quarter of the pairs.
SET_ASIDE_BELOW = 5


def _costs(edges: Edges, newcomers: int) -> tuple[np.ndarray, int, int]:
    """Each pair's cost, the ceiling it is taken from, and the cost of matching nobody."""
    ceiling = int(edges.score.max()) + 1 if len(edges.score) else 1
    nobody = newcomers * ceiling + 1
    if newcomers * nobody >= EXACT_IN_FLOAT64:
        raise ValueError(f"{newcomers} newcomers with scores up to {ceiling - 1} are too many")
    return ceiling - edges.score.astype(np.int64), ceiling, nobody


def _assign(edges: Edges, capacity: np.ndarray, newcomers: int) -> np.ndarray:
    """The volunteer of each newcomer in a cheapest full matching, -1 for nobody."""
    cost, _, nobody = _costs(edges, newcomers)
    slot_start = np.concatenate([[0], np.cumsum(capacity)])
    total_slots = int(slot_start[-1])
    # Row by row: each pair once per free place of its volunteer, then the newcomer's own
    # "nobody". Written straight into the sparse matrix's arrays, one place at a time, so
    # that no sort and no list of millions of coordinates is needed.
    # 32-bit positions halve the temporary arrays; a matrix with 2**31 entries would not fit
    # in memory anyway.
    order = np.argsort(edges.newcomer, kind="stable").astype(np.int32)
    places = capacity.astype(np.int32)[edges.volunteer[order]]
    rows = edges.newcomer[order].astype(np.int32)
    indptr = np.zeros(newcomers + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(rows, places, newcomers).astype(np.int64) + 1)
    indices = np.empty(indptr[-1], dtype=np.int32)
    data = np.empty(indptr[-1], dtype=float)
    # Every earlier row adds one "nobody" entry before this row's pairs.
    first_entry = np.cumsum(places, dtype=np.int32) - places + rows
    del rows
    for place in range(int(capacity.max(initial=0))):
        has = np.flatnonzero(places > place).astype(np.int32)
        position = first_entry[has] + place
        indices[position] = slot_start[edges.volunteer[order[has]]] + place
        data[position] = cost[order[has]]
    del order, places, first_entry
    indices[indptr[1:] - 1] = total_slots + np.arange(newcomers)
    data[indptr[1:] - 1] = nobody
    matrix = csr_matrix((data, indices, indptr), shape=(newcomers, total_slots + newcomers))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    slot_owner = np.concatenate([np.repeat(np.arange(len(capacity)), capacity), [-1] * newcomers])
    volunteer_of = np.full(newcomers, -1, dtype=np.int64)
    volunteer_of[row_ind] = slot_owner[col_ind]
    return volunteer_of


def optimal(edges: Edges, capacity: np.ndarray, newcomers: int) -> dict[int, int]:
    """newcomer index -> volunteer index for the matched ones, optimal among `edges`."""
    if len(edges.newcomer) == 0:
        return {}
    return _as_dict(_assign(edges, capacity, newcomers))


def _as_dict(volunteer_of: np.ndarray) -> dict[int, int]:
    matched = np.flatnonzero(volunteer_of >= 0)
    return dict(zip(matched.tolist(), volunteer_of[matched].tolist(), strict=True))


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The concatenation of arange(start, stop) for each pair, without a Python loop."""
    lengths = stops - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(int(lengths.sum()))


def prices(
    edges: Edges, volunteers: int, volunteer_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices proving `volunteer_of` optimal among `edges`, as score limits.

    A newcomer's price u is what their pair costs plus their volunteer's price (or the cost
    of nobody), a volunteer's price w is the most any newcomer among the edges would pay
    beyond the pair's cost, and never below zero. Starting from zero and raising the
    volunteers' prices until nothing changes reaches the least such prices; for an optimal
    matching they keep complementary slackness (a volunteer with a free place stays at zero,
    no matched newcomer pays more than nobody costs). A pair (i, j) is then paid for when its
    cost is at least u_i - w_j, that is when its score is at most row_limit[i] +
    col_limit[j]; if every feasible pair is, the matching is optimal among all of them.
    """
    newcomers = len(volunteer_of)
    cost, ceiling, nobody = _costs(edges, newcomers)
    order = np.argsort(edges.newcomer, kind="stable")
    row, col, pair_cost = edges.newcomer[order], edges.volunteer[order], cost[order]
    row_start = np.searchsorted(row, np.arange(newcomers + 1))
    matched = volunteer_of >= 0
    own_cost = np.full(newcomers, nobody, dtype=np.int64)
    # What each matched newcomer's own pair costs.
    chosen = matched[row] & (col == volunteer_of[row])
    own_cost[row[chosen]] = pair_cost[chosen]
    volunteer_price = np.zeros(volunteers, dtype=np.int64)
    newcomer_price = own_cost.copy()
    active = np.arange(newcomers)
    # Without a better matching the raising stops within one round per volunteer.
    for _ in range(volunteers + 2):
        if len(active) == 0:
            break
        positions = _ranges(row_start[active], row_start[active + 1])
        raised = volunteer_price.copy()
        np.maximum.at(raised, col[positions], newcomer_price[row[positions]] - pair_cost[positions])
        changed = raised > volunteer_price
        volunteer_price = raised
        active = np.flatnonzero(matched & changed[np.maximum(volunteer_of, 0)])
        newcomer_price[active] = own_cost[active] + volunteer_price[volunteer_of[active]]
    else:
        raise AssertionError("the matching is not optimal among its own candidates")
    if (newcomer_price[matched] > nobody).any():
        raise AssertionError("the matching is not optimal among its own candidates")
    # Pricing compares millions of pairs with these: half the memory where they fit.
    limit_type = np.int32 if nobody < 2**30 else np.int64
    return (ceiling - newcomer_price).astype(limit_type), volunteer_price.astype(limit_type)


def best_assignment(
    problem: Problem, weights: dict[str, int], candidates: Candidates
) -> tuple[dict[int, int], Edges]:
    """The optimum over every feasible pair, and the pairs of the last solve.

    Exact candidates are solved once. Pruned ones are priced out: the pairs left out (or set
    aside) that would lower the cost at the current prices join the candidates, until none
    is left. `candidates` is worked on in place: its reserve and earlier pairs are dropped
    as the rounds go, so that memory stays flat.
    """
    edges = candidates.edges
    newcomers, volunteers = problem.sizes
    if len(edges.newcomer) == 0:
        return {}, edges
    left_out = (
        None if candidates.beyond_reserve is None else LeftOutPairs(problem, weights, candidates)
    )
    set_aside = Edges(*(np.zeros(0, dtype=np.int32),) * 3)
    while True:
        volunteer_of = _assign(edges, problem.v_capacity, newcomers)
        if left_out is None:
            return _as_dict(volunteer_of), edges
        row_limit, col_limit = prices(edges, volunteers, volunteer_of)
        # Each stage frees hundreds of megabytes in pieces of other sizes than the next
        # one asks for; without this the worker would hold every stage's high-water mark.
        release_freed_memory()
        missing = left_out.above(row_limit, col_limit, per_row=ADDED_PER_NEWCOMER)
        release_freed_memory()
        limit = row_limit[set_aside.newcomer] + col_limit[set_aside.volunteer]
        back = set_aside.score > limit
        # A pair set aside may also be among the left-out ones: it is added once.
        missing = Edges.joined(missing, set_aside[back])
        _, first = np.unique(missing.newcomer * volunteers + missing.volunteer, return_index=True)
        if len(first) == 0:
            return _as_dict(volunteer_of), edges
        slack = edges.score < row_limit[edges.newcomer] + col_limit[edges.volunteer] - (
            SET_ASIDE_BELOW
        )
        slack &= edges.volunteer != volunteer_of[edges.newcomer]
        aside = edges[slack]
        # Most candidates end up here: 32 bits each halve what they hold.
        aside = Edges(
            aside.newcomer.astype(np.int32), aside.volunteer.astype(np.int32), aside.score
        )
        set_aside = Edges.joined(set_aside[~back], aside)
        del aside
        edges = candidates.edges = Edges.joined(edges[~slack], missing[first])
        release_freed_memory()


def greedy(edges: Edges, capacity: np.ndarray) -> dict[int, int]:
    """Best pair first: what a busy coordinator does by hand; for comparison only."""
    left = capacity.copy()
    chosen: dict[int, int] = {}
    for index in np.argsort(-edges.score, kind="stable"):
        newcomer, volunteer = int(edges.newcomer[index]), int(edges.volunteer[index])
        if newcomer in chosen or left[volunteer] <= 0:
            continue
        chosen[newcomer] = volunteer
        left[volunteer] -= 1
    return chosen


def total(edges: Edges, assignment: dict[int, int]) -> int:
    lookup = {
        (int(n), int(v)): int(s)
        for n, v, s in zip(edges.newcomer, edges.volunteer, edges.score, strict=True)
    }
    return sum(lookup[(n, v)] for n, v in assignment.items())
