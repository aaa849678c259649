"""A coordinator's own pairs: the engine's hard rules, checked on the engine's own arrays, as
warnings a coordinator can read and, with a recorded reason, override."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from matching.loader import (
    CONVERSATIONAL_OR_BETTER,
    available_volunteers,
    build_problem,
    load_pairs,
    with_open_count,
)
from matching.problem import Problem
from matching.scoring import constraints, feasible, points
from refugees.models import Newcomer, NewcomerLanguage
from volunteers.models import LanguageSkill, Volunteer
from volunteers.stages import ACCOMPANYING_STAGES

SUGGESTIONS = 10


@dataclass
class PairCheck:
    volunteer: Volunteer
    score: int
    # What speaks against the pair, one sentence each; empty when every hard rule holds.
    problems: list[str] = field(default_factory=list)


def _rule_texts() -> dict[str, str]:
    return {
        "language": _("They share no language at conversational level or better."),
        "clearance": _("The household has minors and the volunteer has no valid police clearance."),
        "minors": _("The household has minors and the volunteer does not work with minors."),
        "family": _("This is a family and the volunteer does not accompany families."),
        "gender": _("The newcomer wishes a contact person of the same gender."),
    }


def bridged_volunteers(
    mediator: Volunteer | None, newcomer: Newcomer, volunteers: list[Volunteer]
) -> set[int]:
    """Of these volunteers, those the mediator can bridge to the newcomer: the mediator speaks
    a language of each side at conversational level or better. Three queries for any number."""
    if mediator is None:
        return set()
    spoken_by_mediator = LanguageSkill.objects.filter(
        volunteer=mediator, level__in=CONVERSATIONAL_OR_BETTER
    ).values("language_id")
    newcomer_side = NewcomerLanguage.objects.filter(
        newcomer=newcomer, level__in=CONVERSATIONAL_OR_BETTER, language_id__in=spoken_by_mediator
    )
    if not newcomer_side.exists():
        return set()
    return set(
        LanguageSkill.objects.filter(
            volunteer__in=volunteers,
            level__in=CONVERSATIONAL_OR_BETTER,
            language_id__in=spoken_by_mediator,
        ).values_list("volunteer_id", flat=True)
    )


def mediators_for(newcomer: Newcomer) -> QuerySet[Volunteer]:
    """Ready volunteers who offer language mediation in one of the newcomer's languages."""
    languages = NewcomerLanguage.objects.filter(
        newcomer=newcomer, level__in=CONVERSATIONAL_OR_BETTER
    ).values("language_id")
    return (
        Volunteer.objects.filter(
            wants_language_mediator=True,
            stage__in=ACCOMPANYING_STAGES,
            languages__language__in=languages,
            languages__level__in=CONVERSATIONAL_OR_BETTER,
        )
        .distinct()
        .select_related("user")
        .order_by("user__full_name")
    )


def check_pairs(
    newcomer: Newcomer,
    volunteers: list[Volunteer],
    weights: dict[str, int],
    today: date,
    mediator: Volunteer | None = None,
) -> list[PairCheck]:
    """The newcomer against each volunteer: score and every hard rule the pair breaks."""
    if not volunteers:
        return []
    problem = load_pairs(newcomer.pk, [volunteer.pk for volunteer in volunteers], today)
    column = {int(pk): position for position, pk in enumerate(problem.volunteer_ids)}
    masks = constraints(problem, slice(0, 1))
    texts = _rule_texts()
    counted = {
        volunteer.pk: volunteer
        for volunteer in with_open_count(Volunteer.objects.filter(pk__in=column))
    }
    bridged = bridged_volunteers(mediator, newcomer, volunteers)
    checks = []
    for volunteer in volunteers:
        position = column[volunteer.pk]
        broken = [name for name, mask in masks.items() if not mask[0, position]]
        if "language" in broken and volunteer.pk in bridged:
            broken.remove("language")
        problems = [texts[name] for name in broken]
        problems += _person_problems(problem, position, counted[volunteer.pk])
        score = points(problem, np.array([0]), np.array([position]), weights).sum()
        checks.append(PairCheck(volunteer=volunteer, score=int(score), problems=problems))
    return checks


def _person_problems(problem: Problem, position: int, volunteer: Volunteer) -> list[str]:
    found = []
    if volunteer.stage not in ACCOMPANYING_STAGES:
        found.append(
            _("The volunteer is not ready to accompany anyone (stage: %(stage)s).")
            % {"stage": volunteer.get_stage_display()}
        )
    if not (volunteer.wants_mentor or volunteer.wants_guide):
        found.append(_("The volunteer does not want to accompany anyone as a mentor or guide."))
    if problem.v_capacity[position] <= 0:
        found.append(
            _("The volunteer has no free place (%(taken)s of %(places)s taken).")
            % {"taken": volunteer.open_count, "places": volunteer.max_mentorships}
        )
    if (0, position) in problem.rejected:
        found.append(_("A coordinator rejected this pair before."))
    return found


def suggestions(newcomer: Newcomer, weights: dict[str, int], today: date) -> list[PairCheck]:
    """The best-scoring ready volunteers with a free place who pass every hard rule."""
    problem = build_problem(available_volunteers(), Newcomer.objects.filter(pk=newcomer.pk), today)
    if not len(problem.volunteer_ids) or not len(problem.newcomer_ids):
        return []
    allowed = feasible(problem, slice(0, 1))[0]
    for _newcomer, column in problem.rejected:
        allowed[column] = False
    columns = np.flatnonzero(allowed)
    if not len(columns):
        return []
    scores = points(problem, np.zeros(len(columns), dtype=np.int64), columns, weights).sum(axis=1)
    best = columns[np.argsort(-scores, kind="stable")[:SUGGESTIONS]]
    by_pk = (
        Volunteer.objects.select_related("user", "district")
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.select_related("language"))
        )
        .in_bulk([int(problem.volunteer_ids[column]) for column in best])
    )
    score_of = dict(zip(columns.tolist(), scores.tolist(), strict=True))
    return [
        PairCheck(volunteer=by_pk[int(problem.volunteer_ids[column])], score=score_of[column])
        for column in best.tolist()
    ]
