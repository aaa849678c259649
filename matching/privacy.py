"""Mentorships in a person's export and erasure (see ankommen.privacy)."""

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from ankommen.privacy.registry import (
    ERASED_NAME,
    NEWCOMER,
    VOLUNTEER,
    PersonalData,
    register_personal_data,
    register_retention_rule,
)
from matching.models import CheckIn, ClosingFeedback, Mentorship, Rejection
from refugees.models import Need, Newcomer


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


def _erase_newcomer(newcomer: Any) -> None:
    _erase(newcomer.mentorships.all())
    Rejection.objects.filter(newcomer=newcomer).update(reason="")


def _erase_volunteer(volunteer: Any) -> None:
    _erase(volunteer.mentorships.all())
    Rejection.objects.filter(volunteer=volunteer).update(reason="")


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


def register() -> None:
    register_retention_rule(NEWCOMER, newcomers_due)
    register_personal_data(
        NEWCOMER,
        PersonalData(
            "mentorships",
            lambda newcomer: _export(newcomer.mentorships.all(), partner="volunteer"),
            _erase_newcomer,
        ),
    )
    register_personal_data(
        VOLUNTEER,
        PersonalData(
            "mentorships",
            lambda volunteer: _export(volunteer.mentorships.all(), partner="newcomer"),
            _erase_volunteer,
        ),
    )
