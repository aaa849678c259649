from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from workgroups.models import (
    EventResponse,
    Membership,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
    Task,
    WorkingGroup,
)

ACTIVE = Membership.State.ACTIVE


def group_list() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.select_related("theme").annotate(
        member_count=Count("memberships", filter=Q(memberships__state=ACTIVE))
    )


def membership_of(user: User, group: WorkingGroup) -> Membership | None:
    return group.memberships.filter(
        user=user, state__in=[Membership.State.REQUESTED, ACTIVE]
    ).first()


def open_tasks() -> QuerySet[Task]:
    """Tasks taking sign-ups: what volunteers see and the gap matrix counts as supply. A task
    a partner posted counts once a coordinator approved it (`is_open` is false before, by a
    check constraint; said here too)."""
    return Task.objects.filter(is_open=True, review=Task.Review.APPROVED)


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Every approved task; coordinators also see partners' tasks waiting for review or
    declined (the organisation's staff see theirs on their desk)."""
    if is_coordinator(user):
        return Task.objects.all()
    return Task.objects.filter(review=Task.Review.APPROVED)


def tasks_to_review() -> QuerySet[Task]:
    """Partners' tasks waiting for a coordinator, oldest first."""
    return (
        Task.objects.filter(review=Task.Review.PENDING)
        .select_related("partner", "theme", "district", "created_by")
        .prefetch_related("languages")
        .order_by("created_at", "pk")
    )


def tasks_taking_sign_ups() -> QuerySet[Task]:
    """What a volunteer can sign up for: open tasks (approved, not closed, a place left) not
    yet begun (a task without a date has no beginning). Nothing joined: callers add what they
    show."""
    return open_tasks().filter(Q(starts_at__isnull=True) | Q(starts_at__gt=timezone.now()))


def open_tasks_for(user: User) -> QuerySet[Task]:
    """Open, upcoming tasks; those that fit the volunteer's themes, district and languages first."""
    tasks = (
        tasks_taking_sign_ups()
        .select_related("theme", "district", "group")
        .prefetch_related("languages")
    )
    volunteer = getattr(user, "volunteer", None) if getattr(user, "is_volunteer", False) else None
    if volunteer is None:
        return tasks.order_by("starts_at", "pk")
    themes = list(volunteer.themes.values_list("pk", flat=True))
    languages = list(volunteer.languages.values_list("language_id", flat=True))
    fits = (
        Case(
            When(theme_id__in=themes, then=Value(2)), default=Value(0), output_field=IntegerField()
        )
        + Case(
            When(district_id=volunteer.district_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        + Case(
            When(Q(languages__isnull=True) | Q(languages__in=languages), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    return tasks.annotate(fit=fits).order_by("-fit", "starts_at", "pk").distinct()


def groups_for_tasks_of(user: User) -> QuerySet[WorkingGroup]:
    """The groups a person may put a task in: every group for coordinators, a lead's own."""
    if is_coordinator(user):
        return WorkingGroup.objects.all()
    return WorkingGroup.objects.filter(
        memberships__user=user,
        memberships__role=Membership.Role.LEAD,
        memberships__state=ACTIVE,
    )


def closed_tasks_managed_by(user: User) -> QuerySet[Task]:
    """Tasks still to come (or without a date) that take no sign-ups, closed or full, among
    those the person manages: where coordinators and leads find them to reopen or extend.
    Partners' tasks not approved are on the review page instead."""
    tasks = (
        Task.objects.filter(is_open=False, review=Task.Review.APPROVED)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gt=timezone.now()))
        .select_related("theme", "district", "group")
        .prefetch_related("languages")
        .order_by("starts_at", "pk")
    )
    if is_coordinator(user):
        return tasks
    return tasks.filter(group__in=groups_for_tasks_of(user))


def available_offers() -> QuerySet[Offer]:
    """An offer counts as supply, and takes referrals, while it and its partner are active."""
    return Offer.objects.filter(is_active=True, partner__is_active=True)


def open_partner_needs() -> QuerySet[PartnerNeed]:
    """A need counts as demand while it is open and its partner is active."""
    return PartnerNeed.objects.filter(is_open=True, partner__is_active=True)


def partners_visible_to(user: User) -> QuerySet[Partner]:
    """Coordinators see retired partners too; everyone else only the active ones."""
    partners = Partner.objects.all()
    return partners if is_coordinator(user) else partners.filter(is_active=True)


def partner_list(user: User) -> QuerySet[Partner]:
    return partners_visible_to(user).prefetch_related(
        "districts", "themes", Prefetch("offers", queryset=available_offers())
    )


def map_points(partners: list[Partner]) -> list[dict[str, object]]:
    """The network map's markers: partners with both coordinates, their active offers by name
    (`partner_list` prefetched them)."""
    return [
        {
            "name": partner.name,
            "lat": float(partner.latitude),
            "lng": float(partner.longitude),
            "offers": [offer.title for offer in partner.offers.all()],
        }
        for partner in partners
        if partner.latitude is not None and partner.longitude is not None
    ]


def partner_page(user: User) -> QuerySet[Partner]:
    """One partner with its offers (active first), each with theme, district and languages."""
    offers = (
        Offer.objects.select_related("theme", "district")
        .prefetch_related("languages")
        .order_by("-is_active", "title", "pk")
    )
    return partners_visible_to(user).prefetch_related(
        "districts", "themes", Prefetch("offers", queryset=offers)
    )


def needs_of(partner: Partner, *, is_open: bool) -> QuerySet[PartnerNeed]:
    needs = PartnerNeed.objects.filter(partner=partner, is_open=is_open)
    return needs.select_related("theme", "district").order_by("-recorded_at", "-pk")


def open_referrals_to(partner: Partner) -> QuerySet[Referral]:
    """Newcomers handed over to this partner whose referral has no outcome yet."""
    return Referral.objects.filter(
        offer__partner=partner,
        outcome__in=[Referral.Outcome.WAITING, Referral.Outcome.ACCEPTED],
        consent_withdrawn_at__isnull=True,
    )


def referrals_for_coordinators() -> QuerySet[Referral]:
    """Every referral, newest first, with what the partner answered."""
    return Referral.objects.select_related("newcomer", "offer__partner", "answered_by").order_by(
        "-created_at", "-pk"
    )


def upcoming_events() -> QuerySet[NetworkEvent]:
    """Events still to come, cancelled ones included: who replied should see they are off."""
    return NetworkEvent.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")


def replies_to(event: NetworkEvent) -> QuerySet[EventResponse]:
    return event.responses.select_related("user", "partner").order_by(
        "-answer", "pk"
    )  # coming first
