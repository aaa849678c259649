"""One matching run from the database to proposals: load, score, solve, explain, write."""

import time
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ankommen.memory import release_freed_memory
from matching import leftovers, solver
from matching.loader import CONVERSATIONAL_OR_BETTER, Scope, load_problem
from matching.models import Leftover, MatchingRun, Proposal
from matching.scoring import CRITERIA, feasible, points, score_edges
from refugees.models import NewcomerLanguage

# Pairs per side kept for the first solve above this many newcomers; pricing then adds the
# left-out pairs the optimum needs, so the result is the same as with every pair.
PRUNE_ABOVE = 2_000
KEEP_PER_SIDE = 100
# Far beyond the task's hard time limit, so that a run still queued behind others is spared.
STUCK_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=15)


def execute_run(run: MatchingRun, keep: int | str | None = "auto") -> MatchingRun:
    """Load, score, solve and write the proposals of one run; records the time per stage."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now
        # The browser's progress bar reads the finished stages.
        MatchingRun.objects.filter(pk=run.pk).update(timings=timings)

    try:
        problem = load_problem(Scope.from_dict(run.scope))
        lap("load")
        count, _ = problem.sizes
        if keep == "auto":
            keep = KEEP_PER_SIDE if count > PRUNE_ABOVE else None
        candidates = score_edges(problem, run.weights, keep=keep)
        release_freed_memory()
        lap("score")
        assignment, candidates.edges = solver.best_assignment(problem, run.weights, candidates)
        lap("solve")
        _write_results(run, problem, candidates, assignment)
        del problem, candidates, assignment
        # A worker lives on after the run: what the run used goes back to the system now.
        release_freed_memory()
        lap("write")
    except Exception:
        MatchingRun.objects.filter(pk=run.pk).update(
            state=MatchingRun.State.FAILED, finished_at=timezone.now(), timings=timings
        )
        raise
    run.timings = timings
    run.state = MatchingRun.State.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["timings", "state", "finished_at"])
    return run


def fail_stuck_runs(now: datetime | None = None) -> int:
    """A worker killed mid-run (out of memory, deploy, hard time limit) cannot mark its run;
    past this age a run is taken for dead, so nobody watches a progress bar forever."""
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    return MatchingRun.objects.filter(
        state=MatchingRun.State.RUNNING, started_at__lt=cutoff
    ).update(state=MatchingRun.State.FAILED, finished_at=now)


def _write_results(run, problem, candidates, assignment) -> None:  # noqa: ANN001
    edges = candidates.edges
    # Row of each chosen pair in the edge list, to read its points.
    volunteers = max(problem.sizes[1], 1)
    keys = edges.newcomer * volunteers + edges.volunteer
    order = np.argsort(keys)
    chosen_rows = np.array(sorted(assignment), dtype=np.int64)
    chosen_cols = np.array([assignment[row] for row in chosen_rows.tolist()], dtype=np.int64)
    positions = order[np.searchsorted(keys, chosen_rows * volunteers + chosen_cols, sorter=order)]
    split = points(problem, chosen_rows, chosen_cols, run.weights)
    proposals = []
    total = 0
    for index, (row, col, position) in enumerate(
        zip(chosen_rows.tolist(), chosen_cols.tolist(), positions.tolist(), strict=True)
    ):
        components = dict(zip(CRITERIA, split[index].tolist(), strict=True))
        score = sum(components.values())
        if score != int(edges.score[position]):
            raise AssertionError(
                f"explanation {components} does not add up to {edges.score[position]}"
            )
        total += score
        runner_ups = [
            int(problem.volunteer_ids[other])
            for other in candidates.best[row].tolist()
            if other >= 0 and other != col
        ][: candidates.best.shape[1] - 1]
        proposals.append(
            Proposal(
                run=run,
                newcomer_id=int(problem.newcomer_ids[row]),
                volunteer_id=int(problem.volunteer_ids[col]),
                score=score,
                components=components,
                runner_ups=runner_ups,
            )
        )
    unmatched = [row for row in range(problem.sizes[0]) if row not in assignment]
    reasons = leftovers.reasons_for(problem, unmatched)
    _check_places_taken(problem, assignment, reasons)
    languages = _spoken_languages(
        [int(problem.newcomer_ids[row]) for row, (reason, _) in reasons.items()
         if reason == leftovers.NO_SHARED_LANGUAGE]
    )  # fmt: skip
    left = []
    by_reason: dict[str, int] = {}
    for row, (reason, volunteers_concerned) in reasons.items():
        newcomer_id = int(problem.newcomer_ids[row])
        by_reason[reason] = by_reason.get(reason, 0) + 1
        details = {"volunteers": volunteers_concerned}
        if reason == leftovers.NO_SHARED_LANGUAGE:
            details["languages"] = languages.get(newcomer_id, [])
        left.append(Leftover(run=run, newcomer_id=newcomer_id, reason=reason, details=details))
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals, batch_size=2_000)
        Leftover.objects.bulk_create(left, batch_size=2_000)
        run.newcomers_considered = problem.sizes[0]
        run.proposals_made = len(proposals)
        run.total_score = total
        run.unmatched_by_reason = by_reason
        run.save(
            update_fields=[
                "newcomers_considered", "proposals_made", "total_score", "unmatched_by_reason",
            ]
        )  # fmt: skip


def _check_places_taken(problem, assignment, reasons) -> None:  # noqa: ANN001
    """ "Places went to others" must be true: no volunteer who could take the newcomer has a
    free place left. The optimum guarantees it; a run that breaks it fails instead of saying so."""
    taken = np.array(
        [row for row, (reason, _) in reasons.items() if reason == leftovers.PLACES_TAKEN],
        dtype=np.int64,
    )
    load = np.bincount(list(assignment.values()), minlength=problem.sizes[1])
    free = np.flatnonzero(problem.v_capacity > load)
    if len(taken) == 0 or len(free) == 0:
        return
    for start in range(0, len(taken), 512):
        rows = taken[start : start + 512]
        open_pairs = feasible(problem, rows)[:, free]
        for position, col in zip(*np.nonzero(open_pairs), strict=True):
            if (int(rows[position]), int(free[col])) not in problem.rejected:
                raise AssertionError(
                    f"newcomer {problem.newcomer_ids[rows[position]]} is left out while "
                    f"volunteer {problem.volunteer_ids[free[col]]} has a free place"
                )


def _spoken_languages(newcomer_ids: list[int]) -> dict[int, list[int]]:
    spoken: dict[int, list[int]] = {}
    # Basic knowledge never makes a shared language, so naming it would mislead.
    rows = NewcomerLanguage.objects.filter(
        newcomer_id__in=newcomer_ids, level__in=CONVERSATIONAL_OR_BETTER
    ).values_list("newcomer_id", "language_id")
    for newcomer_id, language_id in rows:
        spoken.setdefault(newcomer_id, []).append(language_id)
    return spoken
