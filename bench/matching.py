"""Benchmark: a whole city matched end to end on PostgreSQL, exact and pruned, against greedy.

Three layouts: a city (newcomers concentrated where the shelters are, many first languages)
and two clustered ones (most newcomers in one or two shelter districts, sharing German with
every volunteer), where pruning alone falls short of the optimum and pricing must close it.

Fills the database with a synthetic city (seeded, so every run sees the same people), then
times the real run (load queries, NumPy scoring, SciPy solve, bulk write of proposals and
explained leftovers) and samples this process's peak memory. Greedy best-pair-first runs on
the same candidates for comparison. Merges {"matching": [...]} into bench/results.json.

    make bench            # or: .venv/bin/python -m bench.matching --sizes 5000 10000
"""

import argparse
import gc
import json
import multiprocessing
import os
import random
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_bench")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.memory import release_freed_memory
from ankommen.vocabulary.models import District, Language, Theme
from bench.memory import MemorySampler, rss_mb
from bench.results import merge_results
from matching import solver
from matching.engine import KEEP_PER_SIDE, execute_run
from matching.loader import load_problem
from matching.models import MatchingRun, Mentorship, Proposal, Rejection
from matching.scoring import feasible, score_edges
from matching.services import current_weights
from refugees.models import AgeGroup, HouseholdMember, Need, Newcomer, NewcomerLanguage
from volunteers.models import AgePreference, ClearanceCheck, LanguageSkill, Volunteer

ROOT = Path(__file__).resolve().parent.parent
UNUSABLE = "!"  # nobody signs in as a benchmark person
# Who arrives in a German city (first languages) and who volunteers (other than German).
NEWCOMER_LANGUAGES = {"ar": 30, "uk": 20, "fa": 12, "prs": 5, "ku": 8, "tr": 7, "ti": 5,
                      "ru": 5, "so": 3, "ps": 3, "fr": 2}  # fmt: skip
# Adults most of all: the age group of the person the record is about.
AGE_GROUPS = [
    *[AgeGroup.ADULT_18_26, AgeGroup.ADULT_46_64, AgeGroup.SENIOR, AgeGroup.YOUTH_14_17],
    *[AgeGroup.ADULT_27_45] * 3,
]
AGE_PREFERENCES = list(AgePreference.values)
VOLUNTEER_HERITAGE = {"ar": 5, "tr": 5, "ru": 4, "uk": 3, "fa": 2, "fr": 1}
# Layouts: how many shelter districts most newcomers live in (0: spread as in a city).
SHELTERS = {"city": 0, "one-shelter": 1, "two-shelters": 2}


def weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def populate(size: int, layout: str = "city", seed: int = 42) -> None:
    """`size` newcomers and as many volunteers, 85 % of them ready; clears earlier data.

    In the clustered layouts 85 % of the newcomers live in one or two shelter districts and
    85 % speak German at conversational level or better, so they share it with every
    volunteer: everyone's best candidates are the same few people.
    """
    rng = random.Random(seed)
    # A separate stream, so that the city layout draws exactly what it always drew.
    clustering = random.Random(seed + 1)
    shelters = SHELTERS[layout]
    for model in (Proposal, MatchingRun, Rejection, Mentorship, Newcomer, Volunteer):
        model.objects.all().delete()
    User.objects.filter(email__endswith="@bench.ankommen.example").delete()
    languages = dict(Language.objects.values_list("code", "pk"))
    districts = list(District.objects.values_list("pk", flat=True))
    themes = list(Theme.objects.values_list("pk", flat=True))
    # Newcomers live where the shelters are; volunteers all over the city.
    newcomer_weights = [rng.paretovariate(1.2) for _ in districts]
    today = timezone.localdate()

    users = User.objects.bulk_create(
        [
            User(
                email=f"v{n}@bench.ankommen.example", full_name=f"Volunteer {n}", password=UNUSABLE
            )
            for n in range(size)
        ],
        batch_size=5_000,
    )
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=user,
                district_id=rng.choice(districts),
                gender=rng.choice(["female", "female", "male", "diverse", ""]),
                wants_mentor=True,
                accepts_minors=rng.random() < 0.45,
                accepts_families=rng.random() < 0.55,
                max_mentorships=rng.choice([1, 1, 1, 2, 2, 3]),
                availability=sum(1 << slot for slot in rng.sample(range(21), rng.randint(1, 8))),
                stage=rng.choice(["ready", "active"]) if rng.random() < 0.85 else "trained",
                age_preferences=rng.sample(AGE_PREFERENCES, rng.randint(1, 2))
                if rng.random() < 0.3
                else [],
            )
            for user in users
        ],
        batch_size=5_000,
    )
    skills, clearances, interests = [], [], []
    for volunteer in volunteers:
        skills.append(
            LanguageSkill(volunteer=volunteer, language_id=languages["de"], level="native")
        )
        if rng.random() < 0.7:
            level = rng.choice(["fluent", "conversational"])
            skills.append(
                LanguageSkill(volunteer=volunteer, language_id=languages["en"], level=level)
            )
        if rng.random() < 0.2:
            code = weighted(rng, VOLUNTEER_HERITAGE)
            skills.append(
                LanguageSkill(volunteer=volunteer, language_id=languages[code], level="native")
            )
        if rng.random() < 0.6:
            # Some certificates have run out: issued more than three years ago.
            issued = today - timedelta(days=rng.randint(0, 3 * 365 + 90))
            clearances.append(
                ClearanceCheck(
                    volunteer=volunteer, seen_on=issued, issued_on=issued,
                    valid_until=issued + timedelta(days=3 * 365),
                )
            )  # fmt: skip
        for theme in rng.sample(themes, rng.randint(1, 3)):
            interests.append(Volunteer.themes.through(volunteer_id=volunteer.pk, theme_id=theme))
    LanguageSkill.objects.bulk_create(skills, batch_size=5_000)
    ClearanceCheck.objects.bulk_create(clearances, batch_size=5_000)
    Volunteer.themes.through.objects.bulk_create(interests, batch_size=5_000)

    newcomers = Newcomer.objects.bulk_create(
        [
            Newcomer(
                full_name=f"Newcomer {n}",
                district_id=clustering.choice(districts[:shelters])
                if shelters and clustering.random() < 0.85
                else rng.choices(districts, weights=newcomer_weights)[0],
                gender=rng.choice(["female", "male"]),
                wants_same_gender_contact=rng.random() < 0.15,
                household="family" if rng.random() < 0.35 else "single",
                residence_status="in_procedure",
                preferred_language="de",
                waiting_since=today - timedelta(days=rng.randint(0, 365)),
                age_group=rng.choice(AGE_GROUPS),
            )
            for n in range(size)
        ],
        batch_size=5_000,
    )
    spoken, members, needs = [], [], []
    for newcomer in newcomers:
        first = weighted(rng, NEWCOMER_LANGUAGES)
        spoken.append(
            NewcomerLanguage(newcomer=newcomer, language_id=languages[first], level="native")
        )
        if first != "ar" and rng.random() < 0.15:
            spoken.append(
                NewcomerLanguage(newcomer=newcomer, language_id=languages["ar"], level="fluent")
            )
        if rng.random() < 0.35:
            level = rng.choice(["conversational", "basic"])
            spoken.append(
                NewcomerLanguage(newcomer=newcomer, language_id=languages["en"], level=level)
            )
        if shelters and clustering.random() < 0.85:
            level = clustering.choice(["conversational", "fluent"])
            spoken.append(
                NewcomerLanguage(newcomer=newcomer, language_id=languages["de"], level=level)
            )
        elif rng.random() < 0.4:
            level = rng.choice(["conversational", "basic", "basic"])
            spoken.append(
                NewcomerLanguage(newcomer=newcomer, language_id=languages["de"], level=level)
            )
        if newcomer.household == "family" and rng.random() < 0.8:
            members.append(HouseholdMember(newcomer=newcomer, relation="child", age_group="6-13"))
        for theme in rng.sample(themes, rng.randint(1, 3)):
            needs.append(Need(newcomer=newcomer, theme_id=theme, source="coordinator"))
    NewcomerLanguage.objects.bulk_create(spoken, batch_size=5_000)
    HouseholdMember.objects.bulk_create(members, batch_size=5_000)
    Need.objects.bulk_create(needs, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measured_run(keep: int | None) -> dict:
    MatchingRun.objects.all().delete()
    run = MatchingRun.objects.create(weights=current_weights())
    connection.close()
    gc.collect()
    # What filling the database (or an exact run) freed goes back first: a worker that
    # never filled a database would not hold it either.
    release_freed_memory()
    rss_before = rss_mb()
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    execute_run(run, keep=keep)
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    total_stages = sum(run.timings.values())
    return {
        "seconds": round(seconds, 2),
        "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - rss_before, 1),
        "matched": run.proposals_made,
        "total_score": run.total_score,
        "stage_share_percent": {
            stage: round(100 * value / total_stages, 1) for stage, value in run.timings.items()
        },
        "unmatched_by_reason": run.unmatched_by_reason,
    }


def greedy_and_coverage() -> dict:
    problem = load_problem()
    # What pruning alone reached before the pricing rounds were added.
    pruned_edges = score_edges(problem, current_weights(), keep=KEEP_PER_SIDE).edges
    pruned_alone = solver.optimal(pruned_edges, problem.v_capacity, problem.sizes[0])
    edges = score_edges(problem, current_weights()).edges
    chosen = solver.greedy(edges, problem.v_capacity)
    reachable = int(
        sum(feasible(problem, slice(start, start + 512)).any(axis=1).sum()
            for start in range(0, problem.sizes[0], 512))
    )  # fmt: skip
    return {
        "greedy_matched": len(chosen),
        "greedy_total_score": solver.total(edges, chosen),
        "pruning_alone_matched": len(pruned_alone),
        "pruning_alone_total_score": solver.total(pruned_edges, pruned_alone),
        "newcomers_with_a_feasible_volunteer": reachable,
        "candidate_pairs": len(edges.score),
        "ready_volunteers": problem.sizes[1],
    }


def populate_in_child(size: int, layout: str) -> None:
    """populate() in a child process: the measured process is then like a worker that only
    runs matchings, without the memory that creating 100,000 rows left behind."""
    connection.close()
    context = multiprocessing.get_context("fork")
    child = context.Process(target=populate, args=(size, layout))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"filling the database failed (exit code {child.exitcode})")


def bench(size: int, layout: str, exact: bool) -> dict:
    populate_in_child(size, layout)
    result = {"size": size, "layout": layout, "database": connection.vendor}
    if exact:
        result["exact"] = measured_run(keep=None)
    result["pruned"] = measured_run(keep=KEEP_PER_SIDE)
    result.update(greedy_and_coverage())
    best = result.get("exact", result["pruned"])
    result["coverage_percent"] = round(
        100 * best["matched"] / max(result["newcomers_with_a_feasible_volunteer"], 1), 2
    )
    result["greedy_score_vs_optimum_percent"] = round(
        100 * result["greedy_total_score"] / max(best["total_score"], 1), 2
    )
    if exact:
        for mode, total_score in [
            ("pruned", result["pruned"]["total_score"]),
            ("pruning_alone", result["pruning_alone_total_score"]),
        ]:
            result[f"{mode}_score_vs_exact_percent"] = round(
                100 * total_score / max(result["exact"]["total_score"], 1), 3
            )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000])
    parser.add_argument(
        "--exact-up-to", type=int, default=10_000, help="also solve exactly up to this size"
    )
    parser.add_argument("--layouts", nargs="+", choices=list(SHELTERS), default=list(SHELTERS))
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    results = [
        bench(size, layout, exact=size <= arguments.exact_up_to)
        for size in arguments.sizes
        for layout in arguments.layouts
    ]
    print("Matching benchmark")
    print(json.dumps(results, indent=2))
    out = merge_results(matching=results)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
