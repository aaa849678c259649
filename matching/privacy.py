"""Mentorships and matching (proposals with their scores, rejections, unmatched runs) in a
person's export and erasure (see ankommen.privacy)."""

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from ankommen.privacy.registry import (
    ERASED_NAME,
    NEWCOMER,
    PERSON_KINDS,
    VOLUNTEER,
    PersonalData,
)
from matching.models import CheckIn, ClosingFeedback, Leftover, Mentorship, Proposal, Rejection
from refugees.models import Need, Newcomer
from volunteers.models import Volunteer


def _export(mentorships: QuerySet[Mentorship], partner: str) -> list[dict[str, Any]]:
    """The other side appears by first name only, as the person knew them."""
    result = []
    for mentorship in mentorships.select_related("volunteer__user", "newcomer"):
        other = (
            mentorship.volunteer.user.given_name
            if partner == "volunteer"
            else mentorship.newcomer.first_name
        )
        result.append(
            {
                "with": other,
                "state": mentorship.state,
                "first_meeting_on": str(mentorship.first_meeting_on or ""),
                "first_meeting_place": mentorship.first_meeting_place,
                "override_reason": mentorship.override_reason,
                "goals": mentorship.goals,
                "meeting_frequency": mentorship.meeting_frequency,
                "check_ins": list(
                    mentorship.checkins.values("due_on", "answer", "note", "answered_at")
                ),
                "feedback": list(mentorship.feedback.values("side", "rating", "comment")),
            }
        )
    return result


def _erase(mentorships: QuerySet[Mentorship]) -> None:
    """States, dates and end reasons stay for the reports; what people wrote goes."""
    ids = list(mentorships.values_list("pk", flat=True))
    Mentorship.objects.filter(pk__in=ids).update(
        goals="", first_meeting_place="", override_reason=""
    )
    CheckIn.objects.filter(mentorship__in=ids).update(note="")
    ClosingFeedback.objects.filter(mentorship__in=ids).update(comment="")


def _export_mediated(volunteer: Volunteer) -> list[dict[str, Any]]:
    """Mentorships the volunteer helped with as language mediator; the pair stays out."""
    return list(
        Mentorship.objects.filter(language_mediator=volunteer).values(
            "state", "created_at", "state_changed_at"
        )
    )


def _export_matching(**person: Any) -> dict[str, Any]:
    """What the engine and the coordinators decided about the person: every proposal with its
    score and the points per criterion, rejected pairs with the reason, and the runs that
    left a newcomer unmatched with why. The other side of a pair is not named."""
    return {
        "proposals": [
            {
                "run_at": proposal.run.started_at.isoformat(),
                "score": proposal.score,
                "score_by_criterion": proposal.components,
                "state": proposal.state,
            }
            for proposal in Proposal.objects.filter(**person)
            .select_related("run")
            .order_by("run__started_at", "pk")
        ],
        "rejections": [
            {"reason": rejection.reason, "rejected_at": rejection.rejected_at.isoformat()}
            for rejection in Rejection.objects.filter(**person).order_by("rejected_at")
        ],
        "unmatched": [
            {
                "run_at": leftover.run.started_at.isoformat(),
                "reason": leftover.reason,
                "details": leftover.details,
            }
            for leftover in Leftover.objects.filter(**person)
            .select_related("run")
            .order_by("run__started_at")
        ]
        if "newcomer" in person
        else [],
    }


def _erase_matching(**person: Any) -> None:
    """Proposals and unmatched runs hold scores and reasons, which the run reports count; the
    words a coordinator wrote about a pair go."""
    Rejection.objects.filter(**person).update(reason="")


def newcomers_due(today: date) -> QuerySet[Newcomer]:
    """No open mentorship, nothing new asked for, and the last mentorship ended (or, without
    any, the record was closed) longer ago than the retention period."""
    cutoff = timezone.make_aware(datetime.combine(today, time.min)) - settings.NEWCOMER_RETENTION
    open_mentorship = Mentorship.objects.filter(newcomer=OuterRef("pk")).exclude(
        state=Mentorship.State.ENDED
    )
    recent_need = Need.objects.filter(newcomer=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Newcomer.objects.exclude(full_name=ERASED_NAME)
        .exclude(Exists(open_mentorship))
        .exclude(Exists(recent_need))
        .annotate(
            last_end=Max(
                "mentorships__state_changed_at",
                filter=Q(mentorships__state=Mentorship.State.ENDED),
            )
        )
        .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True, closed_at__lt=cutoff))
    )


MENTORSHIP_MODELS = ("matching.Mentorship", "matching.CheckIn", "matching.ClosingFeedback")
MATCHING_MODELS = ("matching.Proposal", "matching.Rejection", "matching.Leftover")


def register() -> None:
    PERSON_KINDS[NEWCOMER].retention.register(newcomers_due)
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "mentorships",
            MENTORSHIP_MODELS,
            lambda newcomer: _export(newcomer.mentorships.all(), partner="volunteer"),
            lambda newcomer: _erase(newcomer.mentorships.all()),
        ),
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "mentorships",
            MENTORSHIP_MODELS,
            lambda volunteer: {
                "accompanied": _export(volunteer.mentorships.all(), partner="newcomer"),
                "as_language_mediator": _export_mediated(volunteer),
            },
            lambda volunteer: _erase(volunteer.mentorships.all()),
        ),
    )
    for kind in (NEWCOMER, VOLUNTEER):
        PERSON_KINDS[kind].parts.register(
            PersonalData(
                "matching",
                MATCHING_MODELS,
                lambda person, kind=kind: _export_matching(**{kind: person}),
                lambda person, kind=kind: _erase_matching(**{kind: person}),
            ),
        )
