from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from trainings.models import Course, Registration, Session


def can_mark_attendance(user: User, session: Session) -> bool:
    """Coordinators, and the session's own trainers; nobody else."""
    if is_coordinator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return session.trainers.filter(pk=user.pk).exists()


def can_mark_any_attendance(user: User) -> bool:
    """Coordinators, and whoever trains at least one session: who may see the sessions to mark."""
    if is_coordinator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Session.trainers.through.objects.filter(user_id=user.pk).exists()


def can_cancel_registration(user: User, registration: Registration) -> bool:
    if is_coordinator(user):
        return True
    return registration.user_id is not None and registration.user_id == getattr(user, "pk", None)


def can_add_sessions(user: User, course: Course) -> bool:
    """A retired course gets no new sessions."""
    return is_coordinator(user) and not course.is_retired


def can_retire_course(user: User, course: Course) -> bool:
    return is_coordinator(user) and not course.is_retired


def can_change_session(user: User, session: Session) -> bool:
    """A cancelled session stays as it was; everything else coordinators may change."""
    return is_coordinator(user) and session.status != Session.Status.CANCELLED
