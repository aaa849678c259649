"""Sign-ups, the waiting list, attendance and qualifications.

Contended rows: a session's places. Every change to them locks the session row first
(SELECT … FOR UPDATE on PostgreSQL), and the database refuses confirmed_count > capacity.
"""

import contextlib
import hashlib
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.messaging.services import notify
from ankommen.tokens import hash_token, new_token
from ankommen.translated_content import all_versions, in_source_language, version_fields
from refugees.models import Newcomer
from trainings.models import CalendarFeed, Course, Qualification, Registration, Session
from translations import services as translation_work
from volunteers.models import Stage, Volunteer
from volunteers.selectors import has_left
from volunteers.services import StageTransitionError, move_stage


class TrainingError(Exception):
    """A rule about trainings refused the change; the message says why."""


def _notify(
    registration: Registration, occasion: str, key: str, *, with_calendar: bool = True
) -> None:
    """Participants nobody can reach (most newcomers) see it in their view instead."""
    session = registration.session
    notify(
        registration.user,
        occasion=occasion,
        context={
            "course": all_versions(session.course, "title"),
            "starts_at": timezone.localtime(session.starts_at).isoformat(),
            "place": all_versions(session, "place"),
            "online_url": session.online_url,
        },
        key=f"{key}:{registration.pk}",
        attachments=[{"kind": "session-ics", "session_id": session.pk}] if with_calendar else [],
    )


def _has_attended(course: Course, *, user: User | None, newcomer: Newcomer | None) -> bool:
    attended = Registration.objects.filter(session__course=course, attended=True)
    return (
        attended.filter(user=user).exists() if user else attended.filter(newcomer=newcomer).exists()
    )


def _check_can_sign_up(
    session: Session, *, user: User | None, newcomer: Newcomer | None, by: User
) -> None:
    now = timezone.now()
    if session.status != Session.Status.PLANNED or session.starts_at <= now:
        raise TrainingError(_("This session is no longer open for sign-up."))
    if session.signup_deadline and session.signup_deadline < now and not by.is_coordinator:
        raise TrainingError(_("The sign-up deadline for this session has passed."))
    course = session.course
    if user is not None and not course.is_for_volunteers:
        raise TrainingError(_("This course is for newcomers."))
    if user is not None and has_left(user):
        raise TrainingError(_("You have left the network; please talk to a coordinator."))
    if newcomer is not None and not course.is_for_newcomers:
        raise TrainingError(_("This course is for volunteers."))
    missing = [
        prerequisite.title
        for prerequisite in course.prerequisites.all()
        if not _has_attended(prerequisite, user=user, newcomer=newcomer)
    ]
    if missing:
        raise TrainingError(
            _("Please attend these courses first: %(courses)s.") % {"courses": ", ".join(missing)}
        )


@transaction.atomic
def sign_up(
    *,
    session: Session,
    by: User,
    user: User | None = None,
    newcomer: Newcomer | None = None,
) -> Registration:
    """A place if one is free, otherwise the waiting list; never more than the capacity."""
    if (user is None) == (newcomer is None):
        raise TrainingError(_("Please choose one participant."))
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _check_can_sign_up(session, user=user, newcomer=newcomer, by=by)
    existing = session.registrations.exclude(state=Registration.State.CANCELLED)
    if existing.filter(user=user, newcomer=newcomer).exists():
        raise TrainingError(_("This person is already signed up for this session."))
    has_place = session.confirmed_count < session.capacity
    registration = Registration.objects.create(
        session=session,
        user=user,
        newcomer=newcomer,
        signed_up_by=by,
        state=Registration.State.CONFIRMED if has_place else Registration.State.WAITLISTED,
    )
    if has_place:
        Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)
        _notify(registration, "trainings/confirmed", "training-confirmed")
    else:
        _notify(registration, "trainings/waitlisted", "training-waitlisted")
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by: User) -> Registration | None:
    """Cancel, and give the freed place to the first person waiting; returns who moved up."""
    session = Session.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        raise TrainingError(_("This sign-up has already been cancelled."))
    deadline = session.cancellation_deadline
    if deadline and deadline < timezone.now() and not by.is_coordinator:
        raise TrainingError(
            _("The cancellation deadline has passed. Please tell the coordinators.")
        )
    return _cancel(session, registration)


@transaction.atomic
def remove_participant(*, registration: Registration, by: User) -> Registration | None:
    """A coordinator takes someone off a session or its waiting list: they are told (without a
    calendar entry, which would put the session back in their calendar), and a freed place goes
    to the first person waiting, who is told too. Returns who moved up."""
    if not by.is_coordinator:
        raise TrainingError(_("Only coordinators can remove participants."))
    with audit.recorded_by(by) as trail:
        promoted = cancel_registration(registration=registration, by=by)
        registration.refresh_from_db()
        trail.changed(registration, ["state", "cancelled_at"])
        if promoted is not None:
            trail.changed(promoted, ["state", "promoted_at"])
    registration = Registration.objects.select_related("user", "session__course").get(
        pk=registration.pk
    )
    _notify(registration, "trainings/removed", "training-removed", with_calendar=False)
    return promoted


@transaction.atomic
def cancel_for_withdrawal(*, user: User) -> None:
    """A volunteer who left holds no place in a session still to come: each goes to the first
    person waiting. Deadlines bind no one who has left."""
    upcoming = (
        Registration.objects.filter(
            user=user,
            session__status=Session.Status.PLANNED,
            session__starts_at__gt=timezone.now(),
        )
        .exclude(state=Registration.State.CANCELLED)
        .order_by("session_id", "pk")  # sessions are locked in primary-key order
    )
    for registration in upcoming:
        session = Session.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state != Registration.State.CANCELLED:
            _cancel(session, registration, reason=Registration.CancelReason.VOLUNTEER_WITHDREW)


def _cancel(session: Session, registration: Registration, reason: str = "") -> Registration | None:
    """Called under the session's lock; returns who moved up into the freed place."""
    was_confirmed = registration.state == Registration.State.CONFIRMED
    registration.state = Registration.State.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancel_reason = reason
    registration.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    if not was_confirmed:
        return None
    Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") - 1)
    return _promote_first_waiting(session)


def _promote_first_waiting(session: Session) -> Registration | None:
    """Called under the session's lock: the longest-waiting person gets the place."""
    if session.status != Session.Status.PLANNED:
        return None
    waiting = (
        session.registrations.select_for_update()
        .filter(state=Registration.State.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.state = Registration.State.CONFIRMED
    waiting.promoted_at = timezone.now()
    waiting.save(update_fields=["state", "promoted_at"])
    Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)
    _notify(waiting, "trainings/promoted", "training-promoted")
    return waiting


@transaction.atomic
def cancel_session(*, session: Session, by: User) -> int:
    """Everyone signed up or waiting is told; returns how many were told."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise TrainingError(_("This session has already been cancelled."))
    with audit.recorded_by(by) as trail:
        trail.assign(session, status=Session.Status.CANCELLED)
        session.save(update_fields=["status"])
    active = session.registrations.exclude(state=Registration.State.CANCELLED).select_related(
        "user", "session__course"
    )
    for registration in active:
        _notify(registration, "trainings/session_cancelled", "training-cancelled")
    return active.count()


@transaction.atomic
def move_session(
    *,
    session: Session,
    starts_at: Any,
    ends_at: Any,
    place: str,
    by: User,
    online_url: str | None = None,
    new_versions: Collection[str] = (),
) -> int:
    """A new time or place (or online link, unchanged when None): everyone taking part hears of
    it, with the new .ics. Returns how many were told. `new_versions` names the place's
    versions the coordinator wrote along with the new place; the others are dropped."""
    if ends_at <= starts_at:
        raise TrainingError(_("The end must be after the start."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    # The place is the German one, whatever the coordinator's interface language.
    with audit.recorded_by(by) as trail, in_source_language():
        fields = ["starts_at", "ends_at", "place"]
        if place != session.place:
            # A new place is another place, not the old one reworded: its old versions would
            # send readers to the wrong door. They are asked for anew (or reused, if these
            # words were translated before).
            stale = [name for name in version_fields("place") if name not in new_versions]
            fields += stale
            trail.assign(session, **dict.fromkeys(stale))
        trail.assign(session, starts_at=starts_at, ends_at=ends_at, place=place)
        if online_url is not None:
            trail.assign(session, online_url=online_url)
            fields.append("online_url")
        session.save(update_fields=fields)
    translation_work.sync_record(session, by=by)
    # One notice per new time and place: a second move to the same ones tells nobody twice.
    where = hashlib.sha256(f"{ends_at.isoformat()}|{place}|{session.online_url}".encode())
    stamp = f"training-moved:{starts_at.isoformat()}:{where.hexdigest()[:16]}"
    told = 0
    for registration in session.registrations.exclude(
        state=Registration.State.CANCELLED
    ).select_related("user", "session__course"):
        _notify(registration, "trainings/session_moved", stamp)
        told += 1
    return told


@transaction.atomic
def record_attendance(*, registration: Registration, attended: bool, by: User) -> None:
    """Attending grants the course's qualification; the basic training moves the journey on."""
    registration = Registration.objects.select_related("session__course", "user").get(
        pk=registration.pk
    )
    if registration.state != Registration.State.CONFIRMED:
        raise TrainingError(_("Only confirmed participants can be marked."))
    # Nobody has come to a session that has not begun; marking them "present" would grant
    # the qualification (and move a volunteer's journey on) for a course they never took.
    if registration.session.starts_at > timezone.now():
        raise TrainingError(_("Attendance can be recorded once the session has begun."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    if not attended:
        return
    session = registration.session
    course = session.course
    granted_on = timezone.localdate(session.starts_at)
    if course.qualification:
        valid_until = None
        if course.qualification_months:
            valid_until = granted_on + timedelta(days=round(course.qualification_months * 30.44))
        Qualification.objects.update_or_create(
            user=registration.user,
            newcomer=registration.newcomer,
            course=course,
            session=session,
            defaults={
                "name": course.qualification,
                "granted_on": granted_on,
                "valid_until": valid_until,
            },
        )
    if course.is_basic_training and registration.user_id:
        volunteer = Volunteer.objects.filter(user=registration.user).first()
        if volunteer is not None and volunteer.stage == Stage.CONVERSATION_DONE:
            # The journey's own rules decide; the attendance stays recorded either way.
            with contextlib.suppress(StageTransitionError):
                move_stage(
                    volunteer=volunteer,
                    to_stage=Stage.TRAINED,
                    by=by,
                    reason=_("Attended %(course)s.") % {"course": course.title},
                )


def renew_calendar_feed(*, user: User) -> str:
    """A new secret feed URL; the old one stops working. Returns the token, shown once."""
    token, token_hash = new_token(24)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_hash})
    return token


def revoke_calendar_feed(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_owner(token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    return feed.user if feed and feed.user.is_active else None
