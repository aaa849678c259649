"""Coordinators hear each week which volunteers have now been silent for 90 days."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from ankommen.accounts.models import Role, User
from ankommen.messaging.services import Reminder

INACTIVE_AFTER = timedelta(days=90)


def inactive_volunteer_digests(now: datetime) -> Iterator[Reminder]:
    """One digest per coordinator and calendar week, for volunteers who crossed 90 days then.

    The week is the one before the current one, so a digest is complete when it is sent and
    a beat run missed on Monday is made up by any later run that week.
    """
    today = timezone.localdate(now)
    week_start = today - timedelta(days=today.weekday() + 7)
    window_start = timezone.make_aware(datetime.combine(week_start, datetime.min.time()))
    window_end = window_start + timedelta(days=7)
    volunteers = list(
        User.objects.filter(role=Role.VOLUNTEER, is_active=True)
        .annotate(last_activity=Coalesce("last_login", "date_joined"))
        .filter(
            last_activity__gte=window_start - INACTIVE_AFTER,
            last_activity__lt=window_end - INACTIVE_AFTER,
        )
        .order_by("full_name")
        .only("full_name", "email", "last_login", "date_joined")
    )
    if not volunteers:
        return
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, is_active=True, email__isnull=False
    ).order_by("pk")
    week = f"{week_start:%G-W%V}"
    for coordinator in coordinators:
        yield Reminder(
            occasion=f"{week}:{coordinator.pk}",
            to_email=coordinator.email,
            template="accounts/email/inactive_volunteers",
            language=coordinator.preferred_language,
            recipient=coordinator,
            context={
                "user_display": coordinator.display_name,
                "volunteers": [
                    {
                        "name": volunteer.full_name,
                        "email": volunteer.email or "",
                        "last_activity": date_format(timezone.localdate(volunteer.last_activity)),
                    }
                    for volunteer in volunteers
                ],
            },
            about=tuple(volunteers),
        )
