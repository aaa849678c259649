from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.person_picker import record_number, search_words
from ankommen.search.hooks import PersonFound, SearchTerms
from volunteers.hooks import BASIC_TRAINING, BasicTraining, capacity_usage
from volunteers.models import (
    ClearanceCheck,
    HoursEntry,
    LanguageSkill,
    Stage,
    StageChange,
    Volunteer,
)
from volunteers.stages import ACCOMPANYING_STAGES, TRAINED_STAGES, refusal

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CardFileRow(TypedDict):
    clearance_valid_until: date | None
    approved_hours: Decimal
    capacity_used: int
    free_capacity: int


class HoursTotals(TypedDict):
    hours_approved: Decimal
    hours_waiting: Decimal


EXPIRY_WARNING = timedelta(days=30)


def has_left(user: User) -> bool:
    """A volunteer who withdrew takes on nothing new (task, training) until a coordinator
    brings them back; their account stays for their export and certificate."""
    return Volunteer.objects.filter(user=user, stage=Stage.WITHDRAWN).exists()


def volunteers_visible_to(user: User) -> QuerySet[Volunteer]:
    """Coordinators see every volunteer; a volunteer only themselves; everyone else nobody."""
    volunteers = Volunteer.objects.select_related("user", "district")
    if is_coordinator(user):
        return volunteers
    if getattr(user, "is_authenticated", False):
        return volunteers.filter(user=user)
    return volunteers.none()


def _latest_clearance() -> Subquery:
    return Subquery(
        ClearanceCheck.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(until=Max("valid_until"))
        .values("until")
    )


def _hours_total(state: str) -> Coalesce:
    total = (
        HoursEntry.objects.filter(volunteer=OuterRef("pk"), state=state)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField())


def card_file() -> "QuerySet[WithAnnotations[Volunteer, CardFileRow]]":
    """The card file with everything its columns and filters need, in a fixed number of queries."""
    volunteers: QuerySet[WithAnnotations[Volunteer, CardFileRow]] = (
        Volunteer.objects.select_related("user", "district")
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.select_related("language"))
        )
        .annotate(
            clearance_valid_until=_latest_clearance(),
            approved_hours=_hours_total(HoursEntry.State.APPROVED),
            capacity_used=Coalesce(capacity_usage(), Value(0), output_field=IntegerField()),
            free_capacity=F("max_mentorships") - F("capacity_used"),
        )
    )
    return volunteers


def clearance_status(valid_until: date | None) -> str:
    """ "none", "expired", "expiring" (within 30 days) or "valid"."""
    if valid_until is None:
        return "none"
    today = timezone.localdate()
    if valid_until < today:
        return "expired"
    if valid_until <= today + EXPIRY_WARNING:
        return "expiring"
    return "valid"


def volunteer_detail(pk: int, user: User) -> QuerySet[Volunteer]:
    # Totals and the clearance's end date in the volunteer's own row: each would cost a query.
    return (
        with_hours_totals(volunteers_visible_to(user).filter(pk=pk))
        .annotate(clearance_valid_until=_latest_clearance())
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.select_related("language")),
            "themes",
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
            "consents",
        )
    )


def with_hours_totals(
    volunteers: QuerySet[Volunteer],
) -> "QuerySet[WithAnnotations[Volunteer, HoursTotals]]":
    """Approved and waiting hours in the volunteer's own row: one query less per page."""
    return volunteers.annotate(
        hours_approved=_hours_total(HoursEntry.State.APPROVED),
        hours_waiting=_hours_total(HoursEntry.State.SUBMITTED),
    )


def hours_summary(volunteer: Volunteer) -> dict[str, Decimal]:
    """From the row's own totals when it was loaded `with_hours_totals`, else in one query."""
    if hasattr(volunteer, "hours_approved"):
        totals = cast("WithAnnotations[Volunteer, HoursTotals]", volunteer)
    else:
        totals = with_hours_totals(Volunteer.objects.filter(pk=volunteer.pk)).get()
    return {"approved": totals.hours_approved, "waiting": totals.hours_waiting}


def hours_to_review() -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.filter(state=HoursEntry.State.SUBMITTED)
        .select_related("volunteer__user", "theme")
        .order_by("worked_on", "pk")
    )


def referral_overview() -> dict[str, object]:
    """Who recruited whom: top multipliers, how many recruits became active, chain depth.

    One query over all people with an inviter; chains are followed in memory, which stays
    cheap for a city (10,000 people are a dictionary of 10,000 entries).
    """
    active_stages = set(ACCOMPANYING_STAGES)
    rows = list(
        User.objects.filter(referred_by__isnull=False).values_list(
            "pk", "referred_by_id", "volunteer__stage"
        )
    )
    inviter_of = {pk: inviter for pk, inviter, _stage in rows}
    recruits: dict[int, list[tuple[int, str | None]]] = {}
    for pk, inviter, stage in rows:
        recruits.setdefault(inviter, []).append((pk, stage))

    def depth(pk: int) -> int:
        steps, seen = 0, set()
        while pk in inviter_of and pk not in seen:
            seen.add(pk)
            pk = inviter_of[pk]
            steps += 1
        return steps

    max_depth = max((depth(pk) for pk in inviter_of), default=0)
    top = sorted(recruits.items(), key=lambda item: (-len(item[1]), item[0]))[:20]
    names = dict(User.objects.filter(pk__in=[pk for pk, _ in top]).values_list("pk", "full_name"))
    multipliers = [
        {
            "user_id": pk,
            "name": names.get(pk, ""),
            "recruits": len(people),
            "became_active": sum(1 for _pk, stage in people if stage in active_stages),
        }
        for pk, people in top
    ]
    return {
        "referred_total": len(rows),
        "multiplier_count": len(recruits),
        "max_chain_depth": max_depth,
        "multipliers": multipliers,
    }


def stage_counts() -> dict[str, int]:
    return dict(Volunteer.objects.values_list("stage").annotate(total=Count("pk")))


def volunteers_found(text: str) -> QuerySet[Volunteer]:
    """Everyone who has not withdrawn whose name or e-mail holds every word typed, or the one
    with that record number; with district and languages, in two queries for any number."""
    volunteers = (
        Volunteer.objects.filter(withdrawn_at__isnull=True)
        .select_related("user", "district")
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.select_related("language"))
        )
        .order_by("user__full_name", "pk")
    )
    number = record_number(text)
    if number is not None:
        return volunteers.filter(pk=number)
    words = search_words(text)
    if not words:
        return volunteers.none()
    for word in words:
        volunteers = volunteers.filter(
            Q(user__full_name__icontains=word)
            | Q(user__preferred_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return volunteers


@dataclass(frozen=True)
class StageMovePlan:
    """What a bulk move would do, before it does it."""

    to_stage: Stage
    # (from stage, the volunteers who would move from it), in the journey's order.
    moves: list[tuple[Stage, list[Volunteer]]]
    # Who would stay where they are, and why.
    refused: list[tuple[Volunteer, str]]

    @property
    def moving(self) -> int:
        return sum(len(people) for _stage, people in self.moves)


def stage_move_plan(*, volunteer_ids: Iterable[int], to_stage: Stage) -> StageMovePlan:
    """The same rules as each single move, checked on rows read once (one query), so the
    summary can say how many move from which stage and who cannot, and why."""
    today = timezone.localdate()
    volunteers = (
        Volunteer.objects.filter(pk__in=list(volunteer_ids))
        .select_related("user")
        .annotate(clearance_valid_until=_latest_clearance())
        .order_by("user__full_name", "pk")
    )
    by_stage: dict[Stage, list[Volunteer]] = {}
    refused: list[tuple[Volunteer, str]] = []
    for volunteer in volunteers:
        valid_until = volunteer.clearance_valid_until
        problem = refusal(
            volunteer=volunteer,
            to_stage=to_stage,
            has_valid_clearance=valid_until is not None and valid_until >= today,
        )
        if problem is None:
            by_stage.setdefault(Stage(volunteer.stage), []).append(volunteer)
        else:
            refused.append((volunteer, problem))
    moves = [(stage, by_stage[stage]) for stage in Stage if stage in by_stage]
    return StageMovePlan(to_stage=to_stage, moves=moves, refused=refused)


def volunteers_in_menu_search(user: User, terms: SearchTerms, limit: int) -> list[PersonFound]:
    """The menu's person search: by record number, or every word in the name (one query)."""
    volunteers = volunteers_visible_to(user)
    if terms.number is not None:
        volunteers = volunteers.filter(pk=terms.number)
    for word in terms.words:
        volunteers = volunteers.filter(
            Q(user__full_name__icontains=word) | Q(user__preferred_name__icontains=word)
        )
    return [
        PersonFound(
            name=volunteer.user.full_name,
            url=volunteer.get_absolute_url(),
            number=volunteer.pk,
            details=tuple(
                detail
                for detail in (
                    volunteer.get_stage_display(),
                    volunteer.district.localized_name if volunteer.district else "",
                    volunteer.user.email,
                )
                if detail
            ),
        )
        for volunteer in volunteers.order_by("user__full_name", "pk")[:limit]
    ]


class Step(StrEnum):
    DONE = "done"
    NOW = "now"
    LATER = "later"


@dataclass(frozen=True)
class NextSteps:
    """What lies ahead of a volunteer on the onboarding journey, step by step."""

    conversation: Step
    # When the first conversation is planned, once a coordinator has arranged it.
    conversation_at: datetime | None
    training: Step
    # Their date or the next dates; None once trained, or when no app runs trainings.
    basic_training: BasicTraining | None
    # None when their roles need no police clearance.
    clearance: Step | None
    ready: Step


CLEARED_STAGES = frozenset({Stage.CLEARANCE_CHECKED, Stage.READY, Stage.ACTIVE})


def next_steps_for(volunteer: Volunteer) -> NextSteps | None:
    """The journey still ahead, from the volunteer's stage and what they booked; None once
    they are active, or while they pause or after they withdrew (nothing lies ahead then)."""
    stage = Stage(volunteer.stage)
    if stage in (Stage.ACTIVE, Stage.PAUSED, Stage.WITHDRAWN):
        return None
    before_conversation = stage in (Stage.APPLIED, Stage.CONVERSATION_SCHEDULED)
    if stage in TRAINED_STAGES:
        training, basic_training = Step.DONE, None
    else:
        training = Step.NOW if stage == Stage.CONVERSATION_DONE else Step.LATER
        provider = BASIC_TRAINING.one()
        basic_training = provider(volunteer) if provider is not None else None
    return NextSteps(
        conversation=Step.NOW if before_conversation else Step.DONE,
        conversation_at=(
            volunteer.first_conversation_at if stage == Stage.CONVERSATION_SCHEDULED else None
        ),
        training=training,
        basic_training=basic_training,
        clearance=_clearance_step(volunteer, stage),
        ready=Step.NOW if stage == Stage.READY else Step.LATER,
    )


def _clearance_step(volunteer: Volunteer, stage: Stage) -> Step | None:
    """Only for those who would work with minors; a clearance can be shown at any time."""
    if not volunteer.needs_clearance:
        return None
    if stage in CLEARED_STAGES:
        return Step.DONE
    valid = volunteer.clearance_checks.filter(valid_until__gte=timezone.localdate()).exists()
    if valid:
        return Step.DONE
    return Step.NOW if stage == Stage.TRAINED else Step.LATER
