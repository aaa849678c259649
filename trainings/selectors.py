from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.accounts.permissions import is_coordinator
from trainings.models import Audience, Course, Registration, Session
from volunteers.models import Stage

WAITING = Q(registrations__state=Registration.State.WAITLISTED)


def catalogue() -> QuerySet[Session]:
    """Upcoming sessions with their course, in a fixed number of queries."""
    return (
        Session.objects.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
        .select_related("course", "course__theme")
        .prefetch_related("course__languages")
        .annotate(places_left=F("capacity") - F("confirmed_count"))
        .order_by("starts_at", "pk")
    )


def sessions_open_to_new_volunteers() -> QuerySet[Session]:
    """Sessions someone who has just registered as a volunteer can take a place in: a course
    for volunteers that still runs and asks for no course before it (nobody new has attended
    one), planned, still to come, before its sign-up deadline, with a free place (a waiting
    list is no place to offer a newcomer to the network). Nothing joined."""
    now = timezone.now()
    prerequisites = Course.prerequisites.through.objects.filter(from_course=OuterRef("course"))
    return (
        Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            confirmed_count__lt=F("capacity"),
            course__audience__in=[Audience.VOLUNTEERS, Audience.BOTH],
            course__retired_at__isnull=True,
        )
        .filter(Q(signup_deadline__isnull=True) | Q(signup_deadline__gt=now))
        .exclude(Exists(prerequisites))
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


def sessions_for_coordinators(*, course: Course | None = None) -> QuerySet[Session]:
    """Upcoming sessions with their places taken and free and the length of their waiting list,
    in a fixed number of queries; of one course when it is given."""
    sessions = (
        Session.objects.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
        .select_related("course")
        .annotate(waiting=Count("registrations", filter=WAITING))
        .order_by("starts_at", "pk")
    )
    return sessions.filter(course=course) if course is not None else sessions


def courses_for_coordinators() -> QuerySet[Course]:
    """Every course, those still running first, with how many sessions are still to come."""
    upcoming = Q(sessions__status=Session.Status.PLANNED, sessions__starts_at__gt=timezone.now())
    return (
        Course.objects.select_related("theme")
        .annotate(upcoming_sessions=Count("sessions", filter=upcoming))
        .order_by(F("retired_at").asc(nulls_first=True), "title", "pk")
    )


def sessions_cancelled_by_retiring(course: Course) -> QuerySet[Session]:
    """The sessions of the course still to come: retiring it cancels them. Each comes with how
    many hold a place and how many wait, who are told."""
    return (
        course.sessions.filter(status=Session.Status.PLANNED, starts_at__gt=timezone.now())
        .annotate(waiting=Count("registrations", filter=WAITING))
        .order_by("starts_at", "pk")
    )


def people_in(sessions: QuerySet[Session]) -> int:
    """Everyone signed up for or waiting on these sessions: whom cancelling them tells."""
    return (
        Registration.objects.filter(session__in=sessions.values("pk"))
        .exclude(state=Registration.State.CANCELLED)
        .count()
    )


def first_waiting(session: Session) -> Registration | None:
    """Who gets the next freed place: the longest-waiting person, in the order in which
    the services hand it out (created, then primary key)."""
    return (
        session.registrations.filter(state=Registration.State.WAITLISTED)
        .select_related("user", "newcomer")
        .order_by("created_at", "pk")
        .first()
    )


# A volunteer teaches once they have done the basic training themselves and are still with us.
TRAINED_STAGES = (Stage.TRAINED, Stage.CLEARANCE_CHECKED, Stage.READY, Stage.ACTIVE)


def trainer_candidates(*, chosen: Iterable[int] = ()) -> QuerySet[User]:
    """Who may be chosen to teach a session: active staff, trained volunteers, and whoever
    already teaches it (so saving the session never drops them)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=[Role.COORDINATOR, Role.ADMIN])
            | Q(volunteer__stage__in=TRAINED_STAGES)
            | Q(pk__in=list(chosen))
        )
        .order_by("full_name", "pk")
    )
