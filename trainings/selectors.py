from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from trainings.models import Registration, Session


def catalogue() -> QuerySet[Session]:
    """Upcoming sessions with their course, in a fixed number of queries."""
    return (
        Session.objects.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
        .select_related("course", "course__theme")
        .prefetch_related("course__languages")
        .annotate(places_left=F("capacity") - F("confirmed_count"))
        .order_by("starts_at", "pk")
    )


def session_detail() -> QuerySet[Session]:
    return Session.objects.select_related("course", "course__theme").prefetch_related(
        "course__languages", "course__prerequisites", "trainers"
    )


def registrations_of(session: Session) -> QuerySet[Registration]:
    """Confirmed in sign-up order, then the waiting list in its order."""
    return (
        session.registrations.exclude(state=Registration.State.CANCELLED)
        .select_related("user", "newcomer")
        .order_by("-state", "created_at", "pk")
    )


def sessions_of(user: User) -> QuerySet[Session]:
    """The sessions a person takes part in or teaches, for their calendar."""
    taking_part = Registration.objects.filter(user=user, state=Registration.State.CONFIRMED).values(
        "session_id"
    )
    return (
        Session.objects.filter(Q(pk__in=taking_part) | Q(trainers=user))
        .distinct()
        .order_by("starts_at")
    )


def my_registrations(user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("session__course")
        .prefetch_related(Prefetch("session__trainers"))
        .order_by("session__starts_at")
    )


def sessions_needing_attendance(user: User) -> QuerySet[Session]:
    """Ended, not cancelled sessions with confirmed participants not yet marked, the most recent
    first, each with `missing`: only those `user` may mark (as `can_mark_attendance` decides)."""
    sessions = Session.objects.filter(ends_at__lt=timezone.now()).exclude(
        status=Session.Status.CANCELLED
    )
    if not is_coordinator(user):
        taught = Session.trainers.through.objects.filter(user_id=user.pk).values("session_id")
        sessions = sessions.filter(pk__in=taught)
    unmarked = Q(
        registrations__state=Registration.State.CONFIRMED, registrations__attended__isnull=True
    )
    return (
        sessions.annotate(missing=Count("registrations", filter=unmarked))
        .filter(missing__gt=0)
        .select_related("course")
        .order_by("-ends_at", "-pk")
    )
