"""What partner staff read and keep on their desk, scoped to the organisations they act for
now: another organisation's offer, need or task is missing for them (404)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ankommen.accounts.models import User
from partners.permissions import partners_acted_for
from partners.selectors import desk_for
from workgroups.models import (
    EventResponse,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Task,
    TaskSignup,
)
from workgroups.selectors import upcoming_events

CLOSED_NEEDS_SHOWN = 5


def offers_kept_by(user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(partner__in=partners_acted_for(user)).select_related("partner")


def needs_kept_by(user: User) -> QuerySet[PartnerNeed]:
    return PartnerNeed.objects.filter(partner__in=partners_acted_for(user)).select_related(
        "partner"
    )


def tasks_kept_by(user: User) -> QuerySet[Task]:
    """The tasks the person's organisations posted, whatever their review."""
    return Task.objects.filter(partner__in=partners_acted_for(user)).select_related(
        "partner", "theme", "district", "reviewed_by"
    )


def helpers_of(task: Task) -> QuerySet[TaskSignup]:
    """Who signed up, with name and e-mail address: shown to the task's organisation only,
    which needs to reach them."""
    return (
        task.signups.filter(cancelled_at__isnull=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )


@dataclass
class EventRow:
    event: NetworkEvent
    answer: str = ""  # the organisation's reply, "yes" or "no", or "" before it replied


@dataclass
class Desk:
    """One organisation on the desk, with what its staff keep."""

    partner: Partner
    offers: list[Offer] = field(default_factory=list)
    open_needs: list[PartnerNeed] = field(default_factory=list)
    closed_needs: list[PartnerNeed] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)


def desks_for(user: User) -> list[Desk]:
    """Every organisation the person acts for, with its offers (active first), needs, tasks
    still to come or waiting for review, and the events to come with its reply: 8 queries,
    whatever the number of organisations and records."""
    now = timezone.now()
    tasks = (
        Task.objects.filter(
            Q(starts_at__isnull=True) | Q(starts_at__gt=now) | ~Q(review=Task.Review.APPROVED)
        )
        .select_related("theme", "district")
        .order_by("-created_at", "-pk")
    )
    partners = list(
        desk_for(user).prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("theme", "district").order_by(
                    "-is_active", "title", "pk"
                ),
                to_attr="desk_offers",
            ),
            Prefetch(
                "needs",
                queryset=PartnerNeed.objects.select_related("theme", "district").order_by(
                    "-recorded_at", "-pk"
                ),
                to_attr="desk_needs",
            ),
            Prefetch("tasks", queryset=tasks, to_attr="desk_tasks"),
        )
    )
    events = list(upcoming_events().filter(cancelled_at__isnull=True))
    replies = EventResponse.objects.filter(
        partner__in=[partner.pk for partner in partners],
        event__in=[event.pk for event in events],
    ).values_list("partner_id", "event_id", "answer")
    answers = {(partner_id, event_id): answer for partner_id, event_id, answer in replies}
    return [_desk(partner, events, answers) for partner in partners]


def _desk(
    partner: Partner, events: list[NetworkEvent], answers: dict[tuple[int, int], str]
) -> Desk:
    needs: list[PartnerNeed] = getattr(partner, "desk_needs", [])
    return Desk(
        partner=partner,
        offers=getattr(partner, "desk_offers", []),
        open_needs=[need for need in needs if need.is_open],
        closed_needs=[need for need in needs if not need.is_open][:CLOSED_NEEDS_SHOWN],
        tasks=getattr(partner, "desk_tasks", []),
        events=[EventRow(event, answers.get((partner.pk, event.pk), "")) for event in events],
    )
