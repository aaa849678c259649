"""Volunteer reminders: the first conversation tomorrow, clearances about to expire, and the
coordinators' weekly digest of volunteers who fell silent."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.messaging.services import REMINDERS, DueReminder, ReminderSource
from volunteers.models import ClearanceCheck, Stage, Volunteer

CLEARANCE_NOTICE = timedelta(days=30)
# Silent: no recorded activity (signing in, hours, sign-ups; see services.touch) for this long.
# The card file's "last activity" filter reads the same field.
INACTIVE_AFTER = timedelta(days=90)


def first_conversation_reminders(now: datetime) -> Iterator[DueReminder]:
    """To the volunteer, within 24 hours of the appointment; a new date reminds again."""
    due = Volunteer.objects.filter(
        stage=Stage.CONVERSATION_SCHEDULED,
        first_conversation_at__gt=now,
        first_conversation_at__lte=now + timedelta(hours=24),
    ).select_related("user")
    for volunteer in due:
        when = timezone.localtime(volunteer.first_conversation_at)
        yield DueReminder(
            person=volunteer.user,
            occasion="volunteers/first_conversation",
            key=f"{volunteer.pk}:{when.isoformat()}",
            # Raw values: the mail is written in the reader's language when it is sent.
            context={"when": when.isoformat()},
        )


def _coordinators() -> QuerySet[User]:
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")


def _latest_clearances() -> QuerySet[ClearanceCheck]:
    """Each current volunteer's newest clearance: an older one expiring is no longer news."""
    newest = (
        ClearanceCheck.objects.filter(volunteer=OuterRef("volunteer"))
        .order_by()
        .values("volunteer")
        .annotate(latest=Max("valid_until"))
        .values("latest")
    )
    return (
        ClearanceCheck.objects.filter(valid_until=Subquery(newest))
        .exclude(volunteer__stage=Stage.WITHDRAWN)
        .select_related("volunteer__user")
    )


def clearance_expiry_reminders(now: datetime) -> Iterator[DueReminder]:
    """To the volunteer once, 30 days before their clearance runs out."""
    today = timezone.localdate(now)
    expiring = _latest_clearances().filter(
        valid_until__gte=today, valid_until__lte=today + CLEARANCE_NOTICE
    )
    for clearance in expiring:
        yield DueReminder(
            person=clearance.volunteer.user,
            occasion="volunteers/clearance_expiring",
            key=f"volunteer:{clearance.pk}",
            context={"valid_until": clearance.valid_until.isoformat()},
        )


def clearance_expiry_digests(now: datetime) -> Iterator[DueReminder]:
    """To coordinators weekly: clearances whose 30-day notice began last week, each once."""
    today = timezone.localdate(now)
    week_start = today - timedelta(days=today.weekday() + 7)
    window = (week_start + CLEARANCE_NOTICE, week_start + CLEARANCE_NOTICE + timedelta(days=7))
    expiring = list(
        _latest_clearances()
        .filter(valid_until__gte=window[0], valid_until__lt=window[1])
        .order_by("valid_until")
    )
    if not expiring:
        return
    for coordinator in _coordinators():
        yield DueReminder(
            person=coordinator,
            occasion="volunteers/clearance_digest",
            key=f"digest:{week_start:%G-W%V}:{coordinator.pk}",
            context={
                "clearances": [
                    {
                        "name": clearance.volunteer.user.full_name,
                        "valid_until": clearance.valid_until.isoformat(),
                        "url": settings.PORTAL_URL + clearance.volunteer.get_absolute_url(),
                    }
                    for clearance in expiring
                ],
            },
            about=tuple(clearance.volunteer for clearance in expiring),
        )


def inactive_volunteer_digests(now: datetime) -> Iterator[DueReminder]:
    """One digest per coordinator and calendar week, for volunteers who crossed 90 days then.

    The week is the one before the current one, so a digest is complete when it is sent and
    a beat run missed on Monday is made up by any later run that week.
    """
    today = timezone.localdate(now)
    week_start = today - timedelta(days=today.weekday() + 7)
    window_start = timezone.make_aware(datetime.combine(week_start, datetime.min.time()))
    window_end = window_start + timedelta(days=7)
    volunteers = list(
        Volunteer.objects.exclude(stage=Stage.WITHDRAWN)
        .filter(user__is_active=True)
        .annotate(silent_since=Coalesce("last_activity_at", "created_at"))
        .filter(
            silent_since__gte=window_start - INACTIVE_AFTER,
            silent_since__lt=window_end - INACTIVE_AFTER,
        )
        .select_related("user")
        .order_by("user__full_name")
    )
    if not volunteers:
        return
    week = f"{week_start:%G-W%V}"
    for coordinator in _coordinators():
        yield DueReminder(
            person=coordinator,
            occasion="accounts/inactive_volunteers",
            key=f"{week}:{coordinator.pk}",
            context={
                "volunteers": [
                    {
                        "name": volunteer.user.full_name,
                        "email": volunteer.user.email or "",
                        "last_activity": timezone.localdate(volunteer.silent_since).isoformat(),
                    }
                    for volunteer in volunteers
                ],
            },
            about=tuple(volunteer.user for volunteer in volunteers),
        )


def register_volunteer_reminders() -> None:
    # The occasion key stays as it was, so that no digest already sent goes out again.
    REMINDERS.register(ReminderSource("volunteers-inactive", inactive_volunteer_digests))
    REMINDERS.register(ReminderSource("first-conversation", first_conversation_reminders))
    REMINDERS.register(ReminderSource("clearance-expiring", clearance_expiry_reminders))
    REMINDERS.register(ReminderSource("clearance-digest", clearance_expiry_digests))
