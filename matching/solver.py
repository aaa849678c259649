"""The assignment: as many newcomers as possible, then the highest total score, exactly.

Volunteers who take several newcomers appear once per free place. SciPy's sparse
minimum-weight full bipartite matching (LAPJVsp) solves it; every newcomer also has a
private "nobody" column so that a full matching always exists. Its cost is far above any
real pair's, so matching one more newcomer always beats any gain in score.
"""

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matching.scoring import Edges

BASE_COST = 1_000  # real pair: BASE_COST - score (scores stay below 1,000)
NOBODY_COST = 10_000_000


def optimal(edges: Edges, capacity: np.ndarray, newcomers: int) -> dict[int, int]:
    """newcomer index -> volunteer index for the matched ones."""
    if len(edges.newcomer) == 0:
        return {}
    slot_start = np.concatenate([[0], np.cumsum(capacity)])
    total_slots = int(slot_start[-1])
    rows, cols, costs = [], [], []
    cost = BASE_COST - edges.score
    for offset in range(int(capacity.max())):
        usable = capacity[edges.volunteer] > offset
        rows.append(edges.newcomer[usable])
        cols.append(slot_start[edges.volunteer[usable]] + offset)
        costs.append(cost[usable])
    rows.append(np.arange(newcomers))
    cols.append(total_slots + np.arange(newcomers))
    costs.append(np.full(newcomers, NOBODY_COST))
    matrix = csr_matrix(
        (np.concatenate(costs).astype(float), (np.concatenate(rows), np.concatenate(cols))),
        shape=(newcomers, total_slots + newcomers),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    slot_owner = np.repeat(np.arange(len(capacity)), capacity)
    return {
        int(row): int(slot_owner[col])
        for row, col in zip(row_ind, col_ind, strict=True)
        if col < total_slots
    }


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
