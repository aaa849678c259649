"""The optimum is exact whatever the weights, and pruned runs reach the same optimum."""

from datetime import timedelta

import numpy as np
import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from ankommen.vocabulary.models import District
from matching import services, solver
from matching.engine import execute_run
from matching.leftovers import PLACES_TAKEN
from matching.loader import Scope
from matching.models import DistrictNeighbour, MatchingWeights
from matching.scoring import CRITERIA, Edges, score_edges
from tests.factories import (
    LanguageSkillFactory,
    MatchingRunFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.matching.problems import clustered_problem, random_problem

DEFAULT_WEIGHTS = {name: MatchingWeights._meta.get_field(name).default for name in CRITERIA}
TEN_TIMES = {name: 10 * weight for name, weight in DEFAULT_WEIGHTS.items()}
HIGHEST = dict.fromkeys(CRITERIA, 100)


def exact(problem, weights):
    candidates = score_edges(problem, weights)
    assignment = solver.optimal(candidates.edges, problem.v_capacity, problem.sizes[0])
    return len(assignment), solver.total(candidates.edges, assignment)


def pruned(problem, weights, keep):
    assignment, edges = solver.best_assignment(
        problem, weights, score_edges(problem, weights, keep=keep)
    )
    return len(assignment), solver.total(edges, assignment)


def by_linear_sum_assignment(problem, weights):
    """(matched, total score) from SciPy's dense solver on volunteers expanded to their places,
    maximising matched * (highest possible total + 1) + total: independent of the engine's
    costs and of the sparse solver."""
    edges = score_edges(problem, weights).edges
    count, _ = problem.sizes
    places = np.repeat(np.arange(len(problem.v_capacity)), problem.v_capacity)
    if count == 0 or len(places) == 0:
        return 0, 0
    per_pair = count * (sum(weights.values()) + 1) + 1
    gain = np.zeros((count, len(places)))
    score = np.full((count, len(problem.v_capacity)), -1)
    score[edges.newcomer, edges.volunteer] = edges.score
    usable = score[:, places] >= 0
    gain[usable] = per_pair + score[:, places][usable]
    rows, cols = linear_sum_assignment(gain, maximize=True)
    chosen = usable[rows, cols]
    return int(chosen.sum()), int(score[:, places][rows[chosen], cols[chosen]].sum())


@settings(max_examples=80, deadline=None)
@given(
    newcomers=st.integers(0, 30),
    volunteers=st.integers(0, 30),
    seed=st.integers(0, 10_000),
    keep=st.integers(1, 6),
    layout=st.sampled_from(["random", "one shelter", "two shelters"]),
    rejections=st.integers(0, 20),
)
def test_pruned_runs_reach_the_exact_optimum_on_clustered_and_random_problems(
    newcomers, volunteers, seed, keep, layout, rejections
):
    if layout == "random":
        problem = random_problem(newcomers, volunteers, seed, rejections=rejections)
    else:
        shelters = 1 if layout == "one shelter" else 2
        problem = clustered_problem(
            newcomers, volunteers, seed, shelters=shelters, rejections=rejections
        )

    assert pruned(problem, DEFAULT_WEIGHTS, keep) == exact(problem, DEFAULT_WEIGHTS)


def test_pruning_alone_falls_short_in_a_shelter_district_and_pricing_closes_the_gap():
    problem = clustered_problem(300, 300, seed=7, shelters=1)
    candidates = score_edges(problem, DEFAULT_WEIGHTS, keep=10)
    alone = solver.optimal(candidates.edges, problem.v_capacity, 300)
    best = exact(problem, DEFAULT_WEIGHTS)

    assert (len(alone), solver.total(candidates.edges, alone)) < best
    assert pruned(problem, DEFAULT_WEIGHTS, keep=10) == best


@pytest.mark.parametrize("weights", [TEN_TIMES, HIGHEST], ids=["ten-times-default", "highest"])
def test_the_optimum_holds_at_high_weights(weights):
    # Some of these problems have a pair scoring exactly 1,000 at ten times the defaults.
    problems = [random_problem(20, 15, seed, rejections=3) for seed in range(60)]

    optima = [exact(problem, weights) for problem in problems]

    assert optima == [by_linear_sum_assignment(problem, weights) for problem in problems]
    assert optima == [pruned(problem, weights, keep=2) for problem in problems]


@pytest.mark.parametrize("score", [0, 1, 600, 999, 1_000, 1_100])
def test_a_pair_is_matched_whatever_its_score(score):
    edges = Edges(np.array([0, 1]), np.array([0, 0]), np.array([score, score], dtype=np.int32))

    assert len(solver.optimal(edges, np.array([1]), 2)) == 1
    assert len(solver.optimal(edges, np.array([2]), 2)) == 2


def test_one_more_newcomer_matched_beats_any_gain_in_score():
    # Newcomer 0 fits volunteer 0 perfectly; taking it leaves newcomer 1 without anyone.
    edges = Edges(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([600, 0, 0], dtype=np.int32))

    assert solver.optimal(edges, np.array([1, 1]), 2) == {0: 1, 1: 0}


@pytest.mark.django_db
def test_a_weight_above_100_is_refused_on_the_coordinators_page_with_a_message(client):
    client.force_login(UserFactory(role="coordinator"))
    fields = {**DEFAULT_WEIGHTS, "language": 101}

    with translation.override("en"):
        response = client.post(reverse("matching:weights"), fields)

    assert response.status_code == 400
    assert "100" in str(response.context["form"].errors["language"])
    assert "The weights were not changed." in response.text
    assert not MatchingWeights.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_sets_the_highest_weights_and_the_next_run_uses_them(client):
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)

    response = client.post(reverse("matching:weights"), HIGHEST, follow=True)

    assert response.redirect_chain[-1][0] == reverse("matching:weights")
    assert services.current_weights() == HIGHEST
    assert MatchingWeights.objects.get().changed_by == coordinator
    assert response.context["form"].initial == HIGHEST
    run = services.start_run(by=coordinator, scope=Scope())
    assert run.weights == HIGHEST


@pytest.mark.django_db
def test_the_administration_refuses_a_weight_above_100_too(client):
    client.force_login(UserFactory(admin=True))

    response = client.post(
        reverse("admin:matching_matchingweights_add"), {**DEFAULT_WEIGHTS, "language": 101}
    )

    assert response.status_code == 200
    assert not MatchingWeights.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("criterion", CRITERIA)
def test_the_database_refuses_a_weight_above_100(criterion):
    with pytest.raises(IntegrityError):
        MatchingWeights.objects.create(**{criterion: 101})


def _speaker(district):
    volunteer = VolunteerFactory(stage="ready", max_mentorships=1, district=district)
    LanguageSkillFactory(volunteer=volunteer)
    return volunteer


def _newcomer(district, waiting_days):
    newcomer = NewcomerFactory(
        district=district, waiting_since=timezone.localdate() - timedelta(days=waiting_days)
    )
    NewcomerLanguageFactory(newcomer=newcomer)
    return newcomer


@pytest.mark.django_db
def test_a_pruned_run_in_a_shelter_district_matches_everyone_an_exact_run_matches():
    # Everyone lives in the shelter's district, which only one volunteer shares; the newcomer
    # waiting longest is every other volunteer's best. Each side's single best pair alone
    # leaves a newcomer out and a volunteer free.
    shelter, *others = District.objects.order_by("pk")
    bordering = set(
        DistrictNeighbour.objects.filter(district=shelter).values_list("neighbour", flat=True)
    )
    far, farther = [district for district in others if district.pk not in bordering][:2]
    _speaker(shelter), _speaker(far), _speaker(farther)
    newcomers = {_newcomer(shelter, 200), _newcomer(shelter, 0), _newcomer(shelter, 0)}

    record = MatchingRunFactory(weights=services.current_weights())
    run = execute_run(record, keep=1)

    assert {proposal.newcomer for proposal in run.proposals.all()} == newcomers
    assert (
        run.total_score
        == execute_run(
            MatchingRunFactory(weights=services.current_weights()), keep=None
        ).total_score
    )
    assert not run.leftovers.filter(reason=PLACES_TAKEN).exists()
